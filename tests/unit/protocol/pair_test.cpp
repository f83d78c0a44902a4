// Client and server cores talking in memory: kex per cipher, auth outcomes,
// exec with bulk data both ways, and protocol violations.
#include <catch2/catch.hpp>

#include "crypto/registry.h"
#include "pair.h"

using burrow::Bytes;
using burrow::test::Pair;
namespace protocol = burrow::protocol;

TEST_CASE("key exchange completes with every cipher", "[pair]")
{
    for (const auto& cipher : burrow::crypto::supported_ciphers()) {
        DYNAMIC_SECTION(cipher)
        {
            Pair p(cipher);
            REQUIRE(p.pump());
            CHECK(p.client_events.kex_done == 1);
            CHECK(p.server_events.kex_done == 1);
            CHECK(p.client_events.host_key_checks == 1);
            CHECK(p.client_events.auth_ready);
            CHECK_FALSE(p.client->session_id().empty());
            CHECK(Bytes(p.client->session_id().begin(), p.client->session_id().end()) ==
                  Bytes(p.server->session_id().begin(), p.server->session_id().end()));
            CHECK(p.client->negotiated_summary().find(cipher) != std::string::npos);
            CHECK_FALSE(p.client_events.disconnected);
            CHECK_FALSE(p.server_events.disconnected);
        }
    }
}

TEST_CASE("public key authentication succeeds for the authorized key", "[pair]")
{
    Pair p;
    REQUIRE(p.authenticate("alice"));
    CHECK(p.server_events.authenticated_user == "alice");
    CHECK(p.server->authenticated_user() == "alice");
    // Query first, then the signed request (RFC 4252 §7).
    REQUIRE(p.server_events.auth_requests.size() == 2);
    CHECK_FALSE(p.server_events.auth_requests[0].signature_verified);
    CHECK(p.server_events.auth_requests[1].signature_verified);
}

TEST_CASE("public key authentication fails for another key", "[pair]")
{
    Pair p;
    REQUIRE(p.pump());
    p.client->auth_publickey("alice", *p.other_key);
    REQUIRE(p.pump());
    REQUIRE(p.client_events.auth_results.size() == 1);
    CHECK_FALSE(p.client_events.auth_results[0].success);
    CHECK(p.client_events.auth_results[0].methods_can_continue ==
          std::vector<std::string>{"publickey"});
    CHECK(p.server_events.authenticated_user.empty());
    // Only the query reached the policy; the unauthorized key never signed.
    CHECK(p.server_events.auth_requests.size() == 1);
}

TEST_CASE("none authentication lists the methods", "[pair]")
{
    Pair p;
    REQUIRE(p.pump());
    p.client->auth_none("alice");
    REQUIRE(p.pump());
    REQUIRE(p.client_events.auth_results.size() == 1);
    CHECK_FALSE(p.client_events.auth_results[0].success);
}

TEST_CASE("too many failed attempts disconnect", "[pair]")
{
    Pair p;
    REQUIRE(p.pump());
    for (unsigned i = 0; i < protocol::limits::max_auth_tries; ++i) {
        p.client->auth_publickey("alice", *p.other_key);
        REQUIRE(p.pump());
    }
    REQUIRE(p.server_events.disconnected);
    CHECK(p.server_events.disconnected->reason ==
          protocol::DisconnectReason::no_more_auth_methods_available);
    REQUIRE(p.client_events.disconnected);
    CHECK(p.client_events.disconnected->by_peer);
}

TEST_CASE("a rejected host key ends the connection before authentication", "[pair]")
{
    Pair p;
    p.client_events.accept_host = false;
    REQUIRE(p.pump());
    REQUIRE(p.client_events.disconnected);
    CHECK(p.client_events.disconnected->reason ==
          protocol::DisconnectReason::host_key_not_verifiable);
    REQUIRE(p.server_events.disconnected);
    CHECK(p.server_events.disconnected->by_peer);
    CHECK_FALSE(p.client_events.auth_ready);
}

TEST_CASE("a channel open before authentication is a protocol error", "[pair]")
{
    Pair p;
    REQUIRE(p.pump());
    p.client->open_session();
    REQUIRE(p.pump());
    REQUIRE(p.server_events.disconnected);
    CHECK(p.server_events.disconnected->reason == protocol::DisconnectReason::protocol_error);
    CHECK(p.server_events.disconnected->message.find("before authentication") != std::string::npos);
    CHECK(p.client_events.disconnected);
}

namespace {

/// Push `data` through the channel, pumping as the window allows.
bool send_all(Pair& p, protocol::Connection& from, protocol::ChannelId id, const Bytes& data,
              bool ext = false)
{
    size_t off = 0;
    for (int rounds = 0; off < data.size() && rounds < 100000; ++rounds) {
        const burrow::ByteView rest = burrow::ByteView(data).subspan(off);
        off += ext ? from.send_extended_data(id, 1, rest) : from.send_data(id, rest);
        if (!p.pump()) {
            return false;
        }
    }
    return off == data.size();
}

Bytes pattern(size_t n, uint8_t salt)
{
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) {
        b[i] = static_cast<uint8_t>((i * 131 + salt) ^ (i >> 11));
    }
    return b;
}

}  // namespace

TEST_CASE("exec with 10 MB each way, stderr apart, exit status before close", "[pair]")
{
    for (const auto& cipher : burrow::crypto::supported_ciphers()) {
        DYNAMIC_SECTION(cipher)
        {
            Pair p(cipher);
            REQUIRE(p.authenticate());
            const auto cid = p.client->open_session();
            REQUIRE(cid);
            REQUIRE(p.pump());
            REQUIRE(p.client_events.open_ok[*cid]);
            p.client->request_exec(*cid, "cat", true);
            REQUIRE(p.pump());
            REQUIRE(p.server_events.request_commands == std::vector<std::string>{"cat"});
            REQUIRE(p.client_events.request_replies == std::vector<bool>{true});
            const auto sid = p.server_events.requests.at(0).id;

            const Bytes up = pattern(10 * 1024 * 1024, 1);
            const Bytes down = pattern(10 * 1024 * 1024, 2);
            REQUIRE(send_all(p, *p.client, *cid, up));
            p.client->send_eof(*cid);
            REQUIRE(send_all(p, *p.server, sid, down));
            REQUIRE(send_all(p, *p.server, sid, pattern(1000, 3), true));
            p.server->send_exit_status(sid, 42);
            p.server->send_eof(sid);
            p.server->close_channel(sid);
            REQUIRE(p.pump());
            p.client->close_channel(*cid);
            REQUIRE(p.pump());

            CHECK(p.server_events.data[sid] == burrow::to_string(up));
            CHECK(p.server_events.eof[sid]);
            CHECK(p.client_events.data[*cid] == burrow::to_string(down));
            CHECK(p.client_events.ext_data[*cid] == burrow::to_string(pattern(1000, 3)));
            REQUIRE(p.client_events.requests.size() == 1);
            CHECK(p.client_events.requests[0].type == "exit-status");
            CHECK(p.client_events.requests[0].exit_status == 42);
            CHECK(p.client_events.eof[*cid]);
            CHECK(p.client_events.closed[*cid]);
            CHECK(p.server_events.closed[sid]);
            CHECK_FALSE(p.client_events.disconnected);
        }
    }
}

TEST_CASE("data beyond the window is a protocol error", "[pair]")
{
    Pair p;
    REQUIRE(p.authenticate());
    p.server_events.auto_consume = false;
    const auto cid = p.client->open_session();
    REQUIRE(p.pump());
    // Without consumption the window closes; send_data must respect it.
    const Bytes big = pattern(protocol::limits::channel_window + 1000, 4);
    size_t sent = p.client->send_data(*cid, big);
    REQUIRE(p.pump());
    CHECK(sent == protocol::limits::channel_window);
    CHECK(p.client->send_data(*cid, big) == 0);
    CHECK_FALSE(p.server_events.disconnected);
}
