// Diffie-Hellman group exchange (RFC 4419): group checks, the moduli(5)
// parser, the shipped server/moduli file, the server's choice, and the
// KexMethod over a negotiated group.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "crypto/dh_group_exchange.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::crypto::test::from_hex;
using burrow::crypto::test::to_hex;
namespace bc = burrow::crypto;

namespace {

std::string sha256_hex(burrow::ByteView data)
{
    return to_hex(bc::digest("SHA-256", data));
}

std::string upper_hex(burrow::ByteView data)
{
    std::string hex = to_hex(data);
    for (char& c : hex) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return hex;
}

/// The RFC 7919 ffdhe2048 group from builtin_groups(); its SHA-256 was
/// computed from OpenSSL's ffdhe2048 parameters.
const bc::DhGroup& ffdhe2048()
{
    for (const auto& g : bc::builtin_groups()) {
        if (sha256_hex(g.p) == "9cd3b7f336872f46c09428d1bbc19877a4d440512cda8d1c1cf0cd6e33698966") {
            return g;
        }
    }
    FAIL("ffdhe2048 missing from builtin_groups()");
    throw std::logic_error("unreachable");
}

/// A group with a given size for choose_group (the parser is not involved).
bc::DhGroup sized(uint32_t bits, uint8_t tag)
{
    return bc::DhGroup{Bytes{tag}, Bytes{2}, bits};
}

std::string read_shipped_moduli()
{
    // The source tree's location is compiled in, so the test runs from anywhere.
    const auto path = std::filesystem::path(BURROW_SOURCE_ROOT) / "server" / "moduli";
    std::ifstream in(path);
    INFO("looking for " << path << " from " << std::filesystem::current_path());
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class CountingRng final : public bc::Rng {
public:
    explicit CountingRng(uint32_t value) : m_value(value) {}
    void fill(burrow::MutableByteView out) override
    {
        for (size_t i = 0; i < out.size(); ++i) {
            out[i] = static_cast<uint8_t>(m_value >> (8 * ((out.size() - 1 - i) % 4)));
        }
        ++m_value;
    }

private:
    uint32_t m_value;
};

}  // namespace

TEST_CASE("builtin groups: RFC 3526 and RFC 7919, 2048 to 8192 bits", "[crypto][gex]")
{
    const auto& groups = bc::builtin_groups();
    REQUIRE(groups.size() == 10);
    std::map<uint32_t, int> per_size;
    for (const auto& g : groups) {
        CHECK(bc::acceptable_group(g, bc::gex_min_bits, bc::gex_max_bits));
        CHECK(g.g == Bytes{2});
        CHECK(g.p.size() * 8 == g.bits);
        ++per_size[g.bits];
    }
    CHECK(per_size ==
          std::map<uint32_t, int>{{2048, 2}, {3072, 2}, {4096, 2}, {6144, 2}, {8192, 2}});
}

TEST_CASE("acceptable_group bounds and generator range", "[crypto][gex]")
{
    const bc::DhGroup& g = ffdhe2048();
    CHECK(bc::acceptable_group(g, 2048, 8192));
    CHECK(bc::acceptable_group(g, 2048, 2048));
    CHECK_FALSE(bc::acceptable_group(g, 3072, 8192));
    CHECK_FALSE(bc::acceptable_group(g, 1024, 2047));

    auto with_g = [&](Bytes gen) { return bc::DhGroup{g.p, std::move(gen), g.bits}; };
    Bytes p_minus_1 = g.p;
    p_minus_1.back() = static_cast<uint8_t>(p_minus_1.back() - 1);  // p is odd
    Bytes p_minus_2 = g.p;
    p_minus_2.back() = static_cast<uint8_t>(p_minus_2.back() - 2);
    CHECK_FALSE(bc::acceptable_group(with_g(Bytes{0}), 2048, 8192));
    CHECK_FALSE(bc::acceptable_group(with_g(Bytes{1}), 2048, 8192));
    CHECK_FALSE(bc::acceptable_group(with_g(p_minus_1), 2048, 8192));
    CHECK_FALSE(bc::acceptable_group(with_g(g.p), 2048, 8192));
    CHECK_FALSE(bc::acceptable_group(with_g(Bytes{}), 2048, 8192));
    CHECK(bc::acceptable_group(with_g(p_minus_2), 2048, 8192));
    CHECK(bc::acceptable_group(with_g(Bytes{5}), 2048, 8192));

    Bytes even = g.p;
    even.back() = static_cast<uint8_t>(even.back() ^ 1);
    CHECK_FALSE(bc::acceptable_group(bc::DhGroup{even, g.g, g.bits}, 2048, 8192));
    // The size claimed must be the size of p.
    CHECK_FALSE(bc::acceptable_group(bc::DhGroup{g.p, g.g, 3072}, 2048, 8192));
}

TEST_CASE("group exchange kex: known answer (Python over OpenSSL's ffdhe2048)", "[crypto][gex]")
{
    const char* method = "diffie-hellman-group-exchange-sha256";
    auto client = bc::make_group_exchange_kex(method, ffdhe2048());
    auto server = bc::make_group_exchange_kex(method, ffdhe2048());
    REQUIRE(client);
    REQUIRE(server);
    CHECK(client->name() == method);
    CHECK(client->hash_name() == "SHA-256");
    CHECK(client->public_encoding() == bc::PublicEncoding::mpint);

    const auto scripted = [](const char* hex) {
        struct Scripted final : bc::Rng {
            Bytes bytes;
            size_t pos = 0;
            void fill(burrow::MutableByteView out) override
            {
                REQUIRE(out.size() <= bytes.size() - pos);
                std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(pos), out.size(),
                            out.begin());
                pos += out.size();
            }
        } rng;
        rng.bytes = from_hex(hex);
        return rng;
    };
    auto client_rng = scripted(
        "f86abd32691eb4a9c44792d5d45b664e4d0d6d0723eb687e2524b6df3cbd82fd12e8f776eb2f5d584f8fa2f012"
        "4203"
        "2bf8eb627959d10cb6b8efcf77a31207b4");
    auto server_rng = scripted(
        "c7d6d79a87fd46da7ea34b123acc80f15479456e1c5303d887bcc3ab93f1f03faff4dc202a45250eada719fb94"
        "3cef"
        "24f2ee5d35e3e3543352b5d4e5bd149b77");
    const Bytes e = client->client_keypair(client_rng);
    CHECK(sha256_hex(e) == "9e6347762906fb0b3f2cd0f9d9fc532f7e392443135f807a7ff47594035fa7e3");
    auto enc = server->server_encapsulate(e, server_rng);
    REQUIRE(enc);
    CHECK(sha256_hex(enc->server_public) ==
          "a030072d7ad448f282c3d74614e93d5669098dfe2413ffadcfacbf3f0046dce9");
    const std::string s = "burrow kex known answer";
    const Bytes prefix(s.begin(), s.end());
    const char* expected = "93fa4792a8893aa32911a252902d2b92cc66cc09c64b4db72586c4b7531a060e";
    CHECK(to_hex(bc::exchange_hash("SHA-256", prefix, enc->secret)) == expected);
    auto k = client->client_decapsulate(enc->server_public);
    REQUIRE(k);
    CHECK(to_hex(bc::exchange_hash("SHA-256", prefix, *k)) == expected);

    // Same range checks as the fixed groups (RFC 4419 §3 refers to RFC 4253 §8).
    Bytes p_minus_1 = ffdhe2048().p;
    p_minus_1.back() = static_cast<uint8_t>(p_minus_1.back() - 1);
    for (const Bytes& bad : {Bytes{0}, Bytes{1}, p_minus_1, ffdhe2048().p}) {
        CHECK_FALSE(client->client_decapsulate(bad));
        CHECK_FALSE(
            bc::make_group_exchange_kex(method, ffdhe2048())->server_encapsulate(bad, server_rng));
    }
}

TEST_CASE("group exchange kex refuses unusable groups and names", "[crypto][gex]")
{
    const bc::DhGroup& g = ffdhe2048();
    CHECK_FALSE(bc::make_group_exchange_kex("diffie-hellman-group-exchange-sha1", g));
    CHECK_FALSE(bc::make_group_exchange_kex("curve25519-sha256", g));
    CHECK_FALSE(bc::make_group_exchange_kex("diffie-hellman-group-exchange-sha256",
                                            bc::DhGroup{g.p, Bytes{1}, g.bits}));
    // 1024 bits: below the 2048-bit floor.
    Bytes small(128, 0xff);
    CHECK_FALSE(bc::make_group_exchange_kex("diffie-hellman-group-exchange-sha256",
                                            bc::DhGroup{small, Bytes{2}, 1024}));
}

TEST_CASE("choose_group follows RFC 4419 section 3", "[crypto][gex]")
{
    const std::vector<bc::DhGroup> groups = {sized(2048, 1), sized(3072, 2), sized(3072, 3),
                                             sized(4096, 4), sized(8192, 5)};
    CountingRng rng(0);
    auto pick = [&](uint32_t min, uint32_t pref, uint32_t max) -> uint32_t {
        const auto g = bc::choose_group(groups, min, pref, max, rng);
        return g ? g->bits : 0;
    };
    // Smallest at least `preferred`.
    CHECK(pick(2048, 3072, 8192) == 3072);
    CHECK(pick(2048, 3000, 8192) == 3072);
    CHECK(pick(2048, 4097, 8192) == 8192);
    CHECK(pick(1024, 1024, 8192) == 2048);
    // None that large within max: the largest within range.
    CHECK(pick(2048, 8192, 6000) == 4096);
    CHECK(pick(1024, 16384, 16384) == 8192);
    // Nothing within [min, max].
    CHECK(pick(5000, 6000, 7000) == 0);
    CHECK(pick(1024, 1024, 1536) == 0);
    CHECK(pick(4096, 3072, 2048) == 0);
    CHECK_FALSE(bc::choose_group({}, 2048, 3072, 8192, rng));

    // Both 3072-bit groups get picked over a few draws.
    std::map<uint8_t, int> seen;
    for (int i = 0; i < 16; ++i) {
        const auto g = bc::choose_group(groups, 2048, 3072, 8192, rng);
        REQUIRE(g);
        ++seen[g->p[0]];
    }
    CHECK(seen.size() == 2);
    CHECK(seen.count(2) == 1);
    CHECK(seen.count(3) == 1);

    // A stuck Rng (always 0xff: above the rejection limit for 3 groups)
    // still gets an answer.
    struct StuckRng final : bc::Rng {
        void fill(burrow::MutableByteView out) override { std::fill(out.begin(), out.end(), 0xff); }
    } stuck;
    const std::vector<bc::DhGroup> three = {sized(2048, 1), sized(2048, 2), sized(2048, 3)};
    CHECK(bc::choose_group(three, 2048, 2048, 2048, stuck));
}

TEST_CASE("parse_moduli keeps tested safe primes and skips everything else", "[crypto][gex]")
{
    const bc::DhGroup& g = ffdhe2048();
    const std::string p = upper_hex(g.p);
    const std::string good = "20260101000000 2 6 64 2047 2 " + p;
    CHECK(bc::parse_moduli(good).size() == 1);
    CHECK(bc::parse_moduli(good + "\n").size() == 1);
    CHECK(bc::parse_moduli("  \t" + good + "\r\n").size() == 1);
    CHECK(bc::parse_moduli("20260101000000\t2\t4\t64\t2047\t2\t" + to_hex(g.p)).size() == 1);

    const auto parsed = bc::parse_moduli(good);
    REQUIRE(parsed.size() == 1);
    CHECK(parsed[0].p == g.p);
    CHECK(parsed[0].g == Bytes{2});
    CHECK(parsed[0].bits == 2048);

    const std::string bad[] = {
        "# 20260101000000 2 6 64 2047 2 " + p,      // comment
        "20260101000000 1 6 64 2047 2 " + p,        // type 1: not a safe prime
        "20260101000000 4 6 64 2047 2 " + p,        // Sophie Germain, not safe
        "20260101000000 2 2 64 2047 2 " + p,        // sieve only, no Miller-Rabin
        "20260101000000 2 0 0 2047 2 " + p,         // untested
        "20260101000000 2 7 64 2047 2 " + p,        // marked composite
        "20260101000000 2 6 64 2048 2 " + p,        // size must be bits - 1
        "20260101000000 2 6 64 2047 1 " + p,        // generator 1
        "20260101000000 2 6 64 2047 2 " + p + "G",  // not hex
        "20260101000000 2 6 64 2047 2",             // too few fields
        "20260101000000 2 6 64 2047 2 " + p + " extra",
        "2026 2 6 64 2047 2 " + p,  // bad time
        "20260101000000 x 6 64 2047 2 " + p,
        "20260101000000 2 -6 64 2047 2 " + p,
        "",
        "garbage",
    };
    for (const auto& line : bad) {
        CAPTURE(line.substr(0, 40));
        CHECK(bc::parse_moduli(line).empty());
    }
    // Bad lines do not hide good ones.
    CHECK(bc::parse_moduli(bad[1] + "\n" + good + "\n" + bad[9] + "\n" + good).size() == 2);
}

TEST_CASE("shipped server/moduli holds exactly the builtin groups", "[crypto][gex]")
{
    const std::string text = read_shipped_moduli();
    const auto parsed = bc::parse_moduli(text);
    const auto& builtin = bc::builtin_groups();
    REQUIRE(parsed.size() == builtin.size());
    for (size_t i = 0; i < parsed.size(); ++i) {
        CHECK(parsed[i].p == builtin[i].p);
        CHECK(parsed[i].g == builtin[i].g);
        CHECK(parsed[i].bits == builtin[i].bits);
    }
    // And line by line, the data lines are what builtin_groups() regenerates.
    std::istringstream in(text);
    std::string line;
    size_t i = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        REQUIRE(i < builtin.size());
        const auto& g = builtin[i++];
        CHECK(line == "20261126000000 2 6 64 " + std::to_string(g.bits - 1) + " " +
                          upper_hex(g.g).substr(1) + " " + upper_hex(g.p));
    }
    CHECK(i == builtin.size());
}
