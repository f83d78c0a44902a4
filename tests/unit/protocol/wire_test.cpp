// RFC 4251 §5 types: round trips, and every truncation of each is rejected.
#include <catch2/catch.hpp>

#include <tuple>

#include "protocol/error.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

using burrow::Bytes;
using burrow::ByteView;
using burrow::protocol::ProtocolError;
using burrow::protocol::wire::Reader;
using burrow::protocol::wire::Writer;

namespace {

/// Every strict prefix of `full` must make `read` throw ProtocolError; the
/// whole input must read back as `expected` with nothing left over.
template <typename F, typename T>
void every_truncation_fails(const Bytes& full, F read, const T& expected)
{
    for (size_t n = 0; n < full.size(); ++n) {
        Reader r(ByteView(full).first(n), "test");
        CHECK_THROWS_AS(read(r), ProtocolError);
    }
    Reader whole(full, "test");
    CHECK(read(whole) == expected);
    CHECK(whole.remaining() == 0);
}

}  // namespace

TEST_CASE("integers round trip and truncations fail", "[wire]")
{
    Bytes b;
    Writer w(b);
    w.put_u8(0xab);
    w.put_bool(true);
    w.put_u32(0xdeadbeef);
    w.put_u64(0x0102030405060708ULL);
    CHECK(b == Bytes{0xab, 1, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8});
    every_truncation_fails(
        b,
        [](Reader& r) {
            const uint8_t a = r.get_u8();
            const bool t = r.get_bool();
            const uint32_t c = r.get_u32();
            return std::make_tuple(a, t, c, r.get_u64());
        },
        std::make_tuple(uint8_t{0xab}, true, uint32_t{0xdeadbeef},
                        uint64_t{0x0102030405060708ULL}));
}

TEST_CASE("strings round trip and truncations fail", "[wire]")
{
    Bytes b;
    Writer(b).put_string("testing");
    CHECK(b == Bytes{0, 0, 0, 7, 't', 'e', 's', 't', 'i', 'n', 'g'});
    every_truncation_fails(
        b, [](Reader& r) { return r.get_text(100); }, std::string("testing"));
    Reader too_long(b, "test");
    CHECK_THROWS_AS(too_long.get_text(3), ProtocolError);
}

TEST_CASE("string length beyond the data is rejected without consuming", "[wire]")
{
    const Bytes b{0xff, 0xff, 0xff, 0xff, 'x'};
    Reader r(b, "test");
    CHECK_THROWS_AS(r.get_string(), ProtocolError);
    CHECK(r.remaining() == b.size());
}

TEST_CASE("mpint encodings follow RFC 4251 examples", "[wire]")
{
    // RFC 4251 §5 examples.
    const std::vector<std::pair<Bytes, Bytes>> cases = {
        {{}, {0, 0, 0, 0}},
        {{0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7},
         {0, 0, 0, 8, 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7}},
        {{0x80}, {0, 0, 0, 2, 0x00, 0x80}},
        {{0x00, 0x00, 0x7f}, {0, 0, 0, 1, 0x7f}},
    };
    for (const auto& [magnitude, wire] : cases) {
        Bytes b;
        Writer(b).put_mpint_unsigned(magnitude);
        CHECK(b == wire);
        every_truncation_fails(
            b, [](Reader& r) { return r.get_mpint().size(); }, wire.size() - 4);
    }
    const Bytes negative{0, 0, 0, 2, 0xed, 0xcc};
    Reader neg(negative, "test");
    CHECK_THROWS_AS(neg.get_mpint(), ProtocolError);
    const Bytes padded{0, 0, 0, 2, 0x00, 0x7f};
    Reader pad(padded, "test");
    CHECK_THROWS_AS(pad.get_mpint(), ProtocolError);
}

TEST_CASE("name-lists round trip; malformed lists fail", "[wire]")
{
    Bytes b;
    Writer(b).put_name_list({"zlib", "none"});
    CHECK(b == Bytes{0, 0, 0, 9, 'z', 'l', 'i', 'b', ',', 'n', 'o', 'n', 'e'});
    every_truncation_fails(
        b, [](Reader& r) { return r.get_name_list(); }, std::vector<std::string>{"zlib", "none"});
    for (const std::string& bad :
         std::vector<std::string>{",a", "a,", "a,,b", "a b", std::string("a\0b", 3)}) {
        Bytes e;
        Writer(e).put_string(bad);
        Reader r(e, "test");
        CHECK_THROWS_AS(r.get_name_list(), ProtocolError);
    }
    Bytes empty;
    Writer(empty).put_name_list({});
    Reader r(empty, "test");
    CHECK(r.get_name_list().empty());
}

TEST_CASE("trailing bytes are rejected and named", "[wire]")
{
    const Bytes b{1, 2};
    Reader r(b, "SSH_MSG_TEST");
    r.get_u8();
    try {
        r.expect_end();
        FAIL("expected an error");
    } catch (const ProtocolError& e) {
        CHECK(std::string(e.what()).find("SSH_MSG_TEST") != std::string::npos);
    }
}
