// The SOCKS handshake engine: every version and address type, whole and
// byte at a time, refusals, hostile input and pipelined data.
#include <catch2/catch.hpp>

#include "client/socks.h"

namespace {

using burrow::Bytes;
using burrow::ByteView;
using burrow::client::socks::Handshake;
using burrow::client::socks::Reply;
using burrow::client::socks::Version;
using State = Handshake::State;

Bytes cat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes text(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

const Bytes greeting_no_auth = {0x05, 0x01, 0x00};
const Bytes method_selected = {0x05, 0x00};

Bytes socks5_domain(const std::string& host, uint16_t port)
{
    Bytes out = {0x05, 0x01, 0x00, 0x03, static_cast<uint8_t>(host.size())};
    out.insert(out.end(), host.begin(), host.end());
    out.push_back(static_cast<uint8_t>(port >> 8));
    out.push_back(static_cast<uint8_t>(port & 0xFF));
    return out;
}

Bytes socks4a(const std::string& user, const std::string& host, uint16_t port)
{
    Bytes out = {
        0x04, 0x01, static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port & 0xFF), 0, 0, 0, 1};
    out.insert(out.end(), user.begin(), user.end());
    out.push_back(0);
    out.insert(out.end(), host.begin(), host.end());
    out.push_back(0);
    return out;
}

/// Feed all at once, or one byte at a time; returns the output sent back.
Bytes run(Handshake& hs, const Bytes& input, bool byte_at_a_time)
{
    Bytes output;
    if (!byte_at_a_time) {
        hs.feed(input);
        return hs.take_output();
    }
    for (const uint8_t byte : input) {
        hs.feed(ByteView(&byte, 1));
        const Bytes out = hs.take_output();
        output.insert(output.end(), out.begin(), out.end());
    }
    return output;
}

}  // namespace

TEST_CASE("SOCKS5 CONNECT with every address type", "[socks]")
{
    const bool bytewise = GENERATE(false, true);
    struct Case {
        Bytes request;
        std::string host;
        uint16_t port;
    };
    const Case c =
        GENERATE(Case{{0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x1F, 0x90}, "127.0.0.1", 8080},
                 Case{{0x05, 0x01, 0x00, 0x04, 0x20, 0x01, 0x0d, 0xb8, 0, 0,    0,
                       0,    0,    0,    0,    0,    0,    0,    0,    1, 0x00, 0x50},
                      "2001:db8::1",
                      80},
                 Case{socks5_domain("example.org", 443), "example.org", 443});
    Handshake hs;
    const Bytes out = run(hs, cat({greeting_no_auth, c.request}), bytewise);
    REQUIRE(hs.state() == State::request_ready);
    CHECK(out == method_selected);
    CHECK(hs.version() == Version::socks5);
    CHECK(hs.host() == c.host);
    CHECK(hs.port() == c.port);
    CHECK(hs.take_leftover().empty());
    CHECK(hs.reply_bytes(Reply::success) == Bytes{0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("SOCKS5 failure replies carry the RFC 1928 codes", "[socks]")
{
    Handshake hs;
    hs.feed(cat({greeting_no_auth, socks5_domain("a.example", 1)}));
    REQUIRE(hs.state() == State::request_ready);
    CHECK(hs.reply_bytes(Reply::general_failure)[1] == 0x01);
    CHECK(hs.reply_bytes(Reply::network_unreachable)[1] == 0x03);
    CHECK(hs.reply_bytes(Reply::host_unreachable)[1] == 0x04);
    CHECK(hs.reply_bytes(Reply::connection_refused)[1] == 0x05);
}

TEST_CASE("SOCKS5 picks 'no authentication' among several methods", "[socks]")
{
    Handshake hs;
    CHECK(hs.feed(Bytes{0x05, 0x03, 0x02, 0x01, 0x00}) == State::need_more);
    CHECK(hs.take_output() == method_selected);
}

TEST_CASE("SOCKS5 without 'no authentication' is refused with 0xFF", "[socks]")
{
    Handshake hs;
    CHECK(hs.feed(Bytes{0x05, 0x01, 0x02}) == State::failed);
    CHECK(hs.take_output() == Bytes{0x05, 0xFF});
    CHECK_FALSE(hs.failure().empty());
}

TEST_CASE("SOCKS5 greeting with zero methods is refused", "[socks]")
{
    Handshake hs;
    CHECK(hs.feed(Bytes{0x05, 0x00}) == State::failed);
    CHECK(hs.take_output() == Bytes{0x05, 0xFF});
}

TEST_CASE("SOCKS5 BIND and UDP ASSOCIATE get 'command not supported'", "[socks]")
{
    const uint8_t command = GENERATE(0x02, 0x03, 0x7F);
    Handshake hs;
    hs.feed(greeting_no_auth);
    REQUIRE(hs.take_output() == method_selected);
    CHECK(hs.feed(Bytes{0x05, command, 0x00, 0x01, 1, 2, 3, 4, 0, 80}) == State::failed);
    CHECK(hs.take_output() == Bytes{0x05, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("SOCKS5 unknown address type gets 'address type not supported'", "[socks]")
{
    Handshake hs;
    hs.feed(greeting_no_auth);
    hs.take_output();
    CHECK(hs.feed(Bytes{0x05, 0x01, 0x00, 0x02, 1, 2}) == State::failed);
    CHECK(hs.take_output()[1] == 0x08);
}

TEST_CASE("SOCKS5 request with a bad version or host name fails", "[socks]")
{
    Handshake hs;
    hs.feed(greeting_no_auth);
    hs.take_output();
    SECTION("version 4 after a SOCKS5 greeting")
    {
        CHECK(hs.feed(Bytes{0x04, 0x01, 0x00, 0x01}) == State::failed);
        CHECK(hs.take_output()[1] == 0x01);
    }
    SECTION("empty host name")
    {
        CHECK(hs.feed(socks5_domain("", 80)) == State::failed);
        CHECK(hs.take_output()[1] == 0x01);
    }
    SECTION("host name with a NUL or a newline")
    {
        const std::string bad = GENERATE(std::string("a\0b", 3), std::string("a\nb"), "a b");
        CHECK(hs.feed(socks5_domain(bad, 80)) == State::failed);
        CHECK(hs.host().empty());
    }
}

TEST_CASE("SOCKS4 CONNECT to an IPv4 address, user id ignored", "[socks]")
{
    const bool bytewise = GENERATE(false, true);
    Handshake hs;
    const Bytes request = cat({{0x04, 0x01, 0x00, 0x16, 10, 1, 2, 3}, text("someone"), {0}});
    const Bytes out = run(hs, request, bytewise);
    REQUIRE(hs.state() == State::request_ready);
    CHECK(out.empty());
    CHECK(hs.version() == Version::socks4);
    CHECK(hs.host() == "10.1.2.3");
    CHECK(hs.port() == 22);
    CHECK(hs.reply_bytes(Reply::success) == Bytes{0x00, 0x5A, 0, 0, 0, 0, 0, 0});
    CHECK(hs.reply_bytes(Reply::connection_refused) == Bytes{0x00, 0x5B, 0, 0, 0, 0, 0, 0});
    CHECK(hs.reply_bytes(Reply::host_unreachable)[1] == 0x5B);
}

TEST_CASE("SOCKS4a CONNECT to a host name", "[socks]")
{
    const bool bytewise = GENERATE(false, true);
    Handshake hs;
    run(hs, socks4a("", "db.internal", 5432), bytewise);
    REQUIRE(hs.state() == State::request_ready);
    CHECK(hs.host() == "db.internal");
    CHECK(hs.port() == 5432);
}

TEST_CASE("SOCKS4 BIND is rejected with 0x5B", "[socks]")
{
    Handshake hs;
    CHECK(hs.feed(Bytes{0x04, 0x02, 0x00, 0x50, 1, 2, 3, 4, 0}) == State::failed);
    CHECK(hs.take_output() == Bytes{0x00, 0x5B, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("SOCKS4 fields longer than allowed fail early", "[socks]")
{
    using burrow::client::socks::max_socks4_field;
    Handshake hs;
    SECTION("user id without its NUL")
    {
        const Bytes request =
            cat({{0x04, 0x01, 0x00, 0x50, 1, 2, 3, 4}, Bytes(max_socks4_field + 1, 'u')});
        CHECK(hs.feed(request) == State::failed);
        CHECK(hs.take_output()[1] == 0x5B);
    }
    SECTION("SOCKS4a host name without its NUL")
    {
        Bytes request = socks4a("", std::string(max_socks4_field + 1, 'h'), 80);
        request.pop_back();
        CHECK(hs.feed(request) == State::failed);
    }
    SECTION("the longest legal fields still work")
    {
        const std::string longest(max_socks4_field, 'x');
        CHECK(hs.feed(socks4a(longest, longest, 80)) == State::request_ready);
        CHECK(hs.host() == longest);
    }
}

TEST_CASE("Unknown versions and endless input fail", "[socks]")
{
    Handshake hs;
    SECTION("bad first byte")
    {
        const uint8_t version = GENERATE(0x00, 0x03, 0x06, 'G');
        CHECK(hs.feed(Bytes{version, 0x01, 0x00}) == State::failed);
        CHECK(hs.take_output().empty());
        // Nothing more is accepted after a failure.
        CHECK(hs.feed(cat({greeting_no_auth})) == State::failed);
    }
    SECTION("a huge chunk is not buffered")
    {
        const Bytes huge(10 * burrow::client::socks::max_handshake_bytes, 'A');
        CHECK(hs.feed(huge) == State::failed);
    }
    SECTION("truncated requests wait for more and stay bounded")
    {
        CHECK(hs.feed(Bytes{0x05}) == State::need_more);
        CHECK(hs.feed(Bytes{0x01, 0x00, 0x05, 0x01, 0x00, 0x03, 0x10, 'a'}) == State::need_more);
        CHECK(hs.take_output() == method_selected);
        CHECK(hs.host().empty());
    }
    SECTION("an empty feed changes nothing")
    {
        CHECK(hs.feed(ByteView{}) == State::need_more);
        CHECK(hs.take_output().empty());
    }
}

TEST_CASE("Bytes after the request are kept for the target", "[socks]")
{
    const Bytes data = text("GET / HTTP/1.0\r\n\r\n");
    SECTION("SOCKS5, in the same chunk as the request")
    {
        Handshake hs;
        CHECK(hs.feed(cat({greeting_no_auth, socks5_domain("h", 80), data})) ==
              State::request_ready);
        CHECK(hs.take_leftover() == data);
        CHECK(hs.take_leftover().empty());
    }
    SECTION("SOCKS4a, then more bytes in later feeds")
    {
        Handshake hs;
        CHECK(hs.feed(cat({socks4a("u", "h", 80), Bytes(data.begin(), data.begin() + 3)})) ==
              State::request_ready);
        CHECK(hs.feed(Bytes(data.begin() + 3, data.end())) == State::request_ready);
        CHECK(hs.take_leftover() == data);
    }
    SECTION("a request split over the handshake limit keeps every data byte")
    {
        Handshake hs;
        const Bytes big(3 * burrow::client::socks::max_handshake_bytes, 'd');
        CHECK(hs.feed(cat({greeting_no_auth, socks5_domain("h", 80), big})) ==
              State::request_ready);
        CHECK(hs.take_leftover() == big);
    }
}
