// Binary packet protocol (RFC 4253 §6) and version exchange (§4.2): input
// split at every offset and one byte at a time; bad lengths and padding.
#include <catch2/catch.hpp>

#include "crypto/rng.h"
#include "protocol/error.h"
#include "protocol/transport/packet_decoder.h"
#include "protocol/transport/packet_encoder.h"
#include "protocol/transport/version.h"

using burrow::Bytes;
using burrow::ByteView;
using burrow::protocol::DisconnectReason;
using burrow::protocol::ProtocolError;
using burrow::protocol::Role;
using burrow::protocol::transport::PacketDecoder;
using burrow::protocol::transport::PacketEncoder;
using burrow::protocol::transport::VersionExchange;

namespace {

Bytes encode(const std::vector<Bytes>& payloads)
{
    auto rng = burrow::crypto::make_seeded_rng(7);
    PacketEncoder enc;
    for (const auto& p : payloads) {
        Bytes& out = enc.begin();
        out.insert(out.end(), p.begin(), p.end());
        enc.end(*rng);
    }
    return Bytes(enc.pending().begin(), enc.pending().end());
}

std::vector<Bytes> decode_in_chunks(const Bytes& wire, size_t chunk)
{
    PacketDecoder dec;
    std::vector<Bytes> out;
    for (size_t off = 0; off < wire.size(); off += chunk) {
        dec.append(ByteView(wire).subspan(off, std::min(chunk, wire.size() - off)));
        while (auto p = dec.next_payload()) {
            out.emplace_back(p->begin(), p->end());
        }
        dec.compact();
    }
    return out;
}

}  // namespace

TEST_CASE("packets survive every split point and byte-at-a-time input", "[packet]")
{
    const std::vector<Bytes> payloads = {{20, 1, 2, 3}, Bytes(300, 0x5a), {2}, Bytes(4096, 7)};
    const Bytes wire = encode(payloads);
    CHECK(decode_in_chunks(wire, 1) == payloads);
    for (size_t split = 1; split < wire.size(); ++split) {
        PacketDecoder dec;
        std::vector<Bytes> out;
        dec.append(ByteView(wire).first(split));
        while (auto p = dec.next_payload()) {
            out.emplace_back(p->begin(), p->end());
        }
        dec.compact();
        dec.append(ByteView(wire).subspan(split));
        while (auto p = dec.next_payload()) {
            out.emplace_back(p->begin(), p->end());
        }
        REQUIRE(out == payloads);
    }
}

TEST_CASE("padding is at least four bytes and aligns to eight", "[packet]")
{
    for (size_t n = 1; n < 40; ++n) {
        const Bytes wire = encode({Bytes(n, 1)});
        CHECK(wire.size() % 8 == 0);
        const uint8_t padding = wire[4];
        CHECK(padding >= 4);
        CHECK(wire.size() == 4 + 1 + n + padding);
    }
}

TEST_CASE("bad packet lengths are rejected before buffering", "[packet]")
{
    for (const uint32_t len : {0u, 1u, 4u, 0xffffffffu, 256u * 1024u + 4u, 13u}) {
        PacketDecoder dec;
        const Bytes head{static_cast<uint8_t>(len >> 24), static_cast<uint8_t>(len >> 16),
                         static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len), 4};
        dec.append(head);
        try {
            dec.next_payload();
            FAIL("length " << len << " accepted");
        } catch (const ProtocolError& e) {
            CHECK(e.reason() == DisconnectReason::protocol_error);
            CHECK(std::string(e.what()).find("bad packet length") != std::string::npos);
        }
    }
}

TEST_CASE("bad padding lengths are rejected", "[packet]")
{
    // packet_length 12: padding_length 3 (< 4) and 11 (leaves no payload).
    for (const uint8_t pad : {uint8_t{3}, uint8_t{11}, uint8_t{255}}) {
        Bytes wire{0, 0, 0, 12, pad};
        wire.resize(16, 0);
        PacketDecoder dec;
        dec.append(wire);
        CHECK_THROWS_AS(dec.next_payload(), ProtocolError);
    }
}

TEST_CASE("a truncated packet waits for more input", "[packet]")
{
    const Bytes wire = encode({Bytes(100, 3)});
    PacketDecoder dec;
    dec.append(ByteView(wire).first(wire.size() - 1));
    CHECK_FALSE(dec.next_payload());
    CHECK(dec.buffered() == wire.size() - 1);
}

TEST_CASE("version exchange", "[version]")
{
    SECTION("server accepts a version line split anywhere")
    {
        const std::string line = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nREST";
        for (size_t split = 0; split <= line.size(); ++split) {
            VersionExchange v(Role::server);
            size_t used = v.consume(burrow::as_bytes(line).first(split));
            if (!v.done()) {
                used = split + v.consume(burrow::as_bytes(line).subspan(split));
            }
            REQUIRE(v.done());
            CHECK(v.peer_version() == "SSH-2.0-OpenSSH_9.2p1 Debian-2");
            CHECK(line.substr(used) == "REST");
        }
    }
    SECTION("client skips lines before the version, server does not")
    {
        const std::string text = "hello there\r\nSSH-2.0-x\r\n";
        VersionExchange client(Role::client);
        client.consume(burrow::as_bytes(text));
        CHECK(client.done());
        VersionExchange server(Role::server);
        CHECK_THROWS_AS(server.consume(burrow::as_bytes(text)), ProtocolError);
    }
    SECTION("garbage, old versions and overlong lines are rejected")
    {
        VersionExchange v1(Role::server);
        CHECK_THROWS_AS(v1.consume(burrow::as_bytes("GET / HTTP/1.1\r\n")), ProtocolError);
        VersionExchange v2(Role::server);
        try {
            v2.consume(burrow::as_bytes("SSH-1.5-old\r\n"));
            FAIL("accepted SSH-1.5");
        } catch (const ProtocolError& e) {
            CHECK(e.reason() == DisconnectReason::protocol_version_not_supported);
        }
        VersionExchange v3(Role::server);
        CHECK_THROWS_AS(v3.consume(burrow::as_bytes("SSH-2.0-" + std::string(300, 'a'))),
                        ProtocolError);
        VersionExchange v4(Role::client);
        const std::string many(2000 * 2, '\n');
        CHECK_THROWS_AS(v4.consume(burrow::as_bytes(many)), ProtocolError);
    }
}
