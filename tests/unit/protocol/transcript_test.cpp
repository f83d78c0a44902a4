// A recorded client byte stream replayed into fresh servers (same seeds, so
// byte-exact): split at every offset, one byte at a time, and mutated
// (bit flips, truncations) — mutations must end in a clean disconnect.
#include <catch2/catch.hpp>

#include "pair.h"

using burrow::Bytes;
using burrow::ByteView;
using burrow::test::Pair;

namespace {

/// A full session: kex, auth, exec "cat" with data, EOF and close.
Bytes record_client_stream()
{
    Pair p;
    REQUIRE(p.authenticate("alice"));
    const auto cid = p.client->open_session();
    REQUIRE(p.pump());
    p.client->request_exec(*cid, "cat", true);
    p.client->send_data(*cid, burrow::as_bytes("hello through the channel"));
    p.client->send_eof(*cid);
    p.client->close_channel(*cid);
    REQUIRE(p.pump());
    return p.client_transcript;
}

struct Outcome {
    bool authenticated = false;
    std::string data;
    bool disconnected = false;
    bool disconnect_sent_by_us = false;
};

/// Feed `stream` to a fresh server in the given chunking.
Outcome replay(const Bytes& stream, const std::vector<size_t>& cuts)
{
    Pair fresh;
    fresh.server_events.auto_consume = true;
    size_t off = 0;
    for (size_t cut : cuts) {
        cut = std::min(cut, stream.size());
        fresh.server->feed(ByteView(stream).subspan(off, cut - off));
        fresh.server->consume_output(fresh.server->pending_output().size());
        off = cut;
    }
    fresh.server->feed(ByteView(stream).subspan(off));
    Outcome o;
    o.authenticated = !fresh.server_events.authenticated_user.empty();
    o.data = fresh.server_events.data[0];
    o.disconnected = fresh.server_events.disconnected.has_value();
    o.disconnect_sent_by_us = o.disconnected && !fresh.server_events.disconnected->by_peer;
    return o;
}

}  // namespace

TEST_CASE("server accepts the client stream split at every offset", "[transcript]")
{
    const Bytes stream = record_client_stream();
    const Outcome whole = replay(stream, {});
    REQUIRE(whole.authenticated);
    REQUIRE(whole.data == "hello through the channel");
    REQUIRE_FALSE(whole.disconnected);
    for (size_t split = 1; split < stream.size(); ++split) {
        const Outcome o = replay(stream, {split});
        REQUIRE(o.authenticated);
        REQUIRE(o.data == whole.data);
        REQUIRE_FALSE(o.disconnected);
    }
}

TEST_CASE("server accepts the client stream one byte at a time", "[transcript]")
{
    const Bytes stream = record_client_stream();
    std::vector<size_t> cuts(stream.size());
    for (size_t i = 0; i < stream.size(); ++i) {
        cuts[i] = i + 1;
    }
    const Outcome o = replay(stream, cuts);
    CHECK(o.authenticated);
    CHECK(o.data == "hello through the channel");
}

TEST_CASE("mutated client streams end in a clean disconnect", "[transcript]")
{
    const Bytes stream = record_client_stream();
    size_t clean_disconnects = 0;
    for (size_t pos = 0; pos < stream.size(); pos += 7) {
        Bytes mutated = stream;
        mutated[pos] ^= static_cast<uint8_t>(1u << (pos % 8));
        Pair fresh;
        fresh.server->feed(mutated);
        // A flip that garbles a decrypted length can leave the server waiting
        // for bytes that never come; LoginGraceTime then ends it.
        fresh.server->on_deadline(burrow::protocol::Millis(std::chrono::hours(1)));
        const auto& ev = fresh.server_events;
        INFO("flipped byte " << pos);
        // Never may corrupted bytes come out as channel data.
        REQUIRE((!ev.data.count(0) || ev.data.at(0) == "hello through the channel"));
        // Either the flip hit bytes with no meaning (e.g. random padding of
        // the cleartext KEXINIT packet) and the session is unchanged, or the
        // server sent a DISCONNECT with a reason, or (a garbled length after
        // authentication) it waits for bytes and closes when the peer does.
        const bool unchanged = !ev.authenticated_user.empty() && !ev.disconnected &&
                               ev.data.count(0) && ev.data.at(0) == "hello through the channel";
        const bool clean =
            ev.disconnected && !ev.disconnected->by_peer && !ev.disconnected->message.empty();
        if (!unchanged && !clean) {
            REQUIRE_FALSE(ev.disconnected);
            fresh.server->feed_eof();
            fresh.server->consume_output(fresh.server->pending_output().size());
            REQUIRE(fresh.server->is_closed());
        }
        clean_disconnects += clean ? 1 : 0;
    }
    CHECK(clean_disconnects > stream.size() / 14);
}

TEST_CASE("truncated client streams never authenticate and never crash", "[transcript]")
{
    const Bytes stream = record_client_stream();
    for (size_t len = 0; len < stream.size(); len += 3) {
        Pair fresh;
        fresh.server->feed(ByteView(stream).first(len));
        fresh.server->feed_eof();
        REQUIRE(fresh.server_events.disconnected);
        REQUIRE(fresh.server->is_closed() == fresh.server->pending_output().empty());
    }
}
