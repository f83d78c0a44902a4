// Diffie-Hellman group exchange groups (RFC 4419): the standard groups, the
// OpenSSH moduli(5) file format, and the server's choice of a group.
#include <botan/bigint.h>
#include <botan/dl_group.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "crypto/dh_group_exchange.h"

namespace burrow::crypto {
namespace {

// moduli(5) "type" 2: a safe prime, p = 2q + 1 with q prime.
constexpr unsigned moduli_type_safe = 2;
// moduli(5) "tests" bits: 0x01 means a test failed (composite); 0x04 means
// Miller-Rabin was run. A usable line has passed Miller-Rabin and nothing failed.
constexpr unsigned moduli_tests_composite = 0x01;
constexpr unsigned moduli_tests_miller_rabin = 0x04;

Bytes to_bytes(const Botan::BigInt& n)
{
    Bytes out(n.bytes());
    n.binary_encode(out.data());
    return out;
}

DhGroup make_group(const Botan::BigInt& p, const Botan::BigInt& g)
{
    return DhGroup{to_bytes(p), to_bytes(g), static_cast<uint32_t>(p.bits())};
}

/// Split on blanks and tabs (moduli(5): fields separated by white space).
std::vector<std::string_view> fields_of(std::string_view line)
{
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (pos < line.size()) {
        const size_t start = line.find_first_not_of(" \t\r", pos);
        if (start == std::string_view::npos) {
            break;
        }
        const size_t end = std::min(line.find_first_of(" \t\r", start), line.size());
        out.push_back(line.substr(start, end - start));
        pos = end;
    }
    return out;
}

std::optional<unsigned long> parse_number(std::string_view text, int base)
{
    unsigned long value = 0;
    const char* const last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), last, value, base);
    if (ec != std::errc() || ptr != last || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<Botan::BigInt> parse_hex(std::string_view text)
{
    if (text.empty() || text.size() > 8192 ||
        text.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
        return std::nullopt;
    }
    return Botan::BigInt("0x" + std::string(text));
}

/// One moduli(5) line: time type tests tries size generator modulus.
std::optional<DhGroup> parse_moduli_line(std::string_view line)
{
    const auto f = fields_of(line);
    if (f.size() != 7 || f[0].size() != 14 || !parse_number(f[0], 10)) {
        return std::nullopt;
    }
    const auto type = parse_number(f[1], 10);
    const auto tests = parse_number(f[2], 10);
    const auto tries = parse_number(f[3], 10);
    const auto size = parse_number(f[4], 10);
    const auto g = parse_hex(f[5]);
    const auto p = parse_hex(f[6]);
    if (!type || !tests || !tries || !size || !g || !p) {
        return std::nullopt;
    }
    if (*type != moduli_type_safe || (*tests & moduli_tests_composite) != 0 ||
        (*tests & moduli_tests_miller_rabin) == 0) {
        return std::nullopt;
    }
    // The size field counts the bits of q = (p-1)/2, one less than p's.
    if (p->bits() != *size + 1) {
        return std::nullopt;
    }
    DhGroup group = make_group(*p, *g);
    if (!acceptable_group(group, 0, UINT32_MAX)) {
        return std::nullopt;
    }
    return group;
}

}  // namespace

bool acceptable_group(const DhGroup& group, uint32_t min_bits, uint32_t max_bits)
{
    if (group.p.empty() || group.g.empty()) {
        return false;
    }
    const Botan::BigInt p = Botan::BigInt::decode(group.p.data(), group.p.size());
    const Botan::BigInt g = Botan::BigInt::decode(group.g.data(), group.g.size());
    const size_t bits = p.bits();
    // RFC 4419 §3: the group must fall within the bounds the client sent.
    if (bits != group.bits || bits < min_bits || bits > max_bits) {
        return false;
    }
    // An even p is certainly not prime; g in {0, 1, p-1} or beyond p
    // generates a subgroup of order at most 2 (RFC 4419 §3, §6).
    return p.is_odd() && g > 1 && g < p - 1;
}

std::vector<DhGroup> parse_moduli(std::string_view text)
{
    std::vector<DhGroup> groups;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        const size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos || line[first] == '#') {
            continue;
        }
        if (auto group = parse_moduli_line(line)) {
            groups.push_back(std::move(*group));
        }
    }
    return groups;
}

std::optional<DhGroup> choose_group(const std::vector<DhGroup>& groups, uint32_t min,
                                    uint32_t preferred, uint32_t max, Rng& rng)
{
    // RFC 4419 §3: the smallest group of at least `preferred` bits within
    // [min, max]; failing that, the largest group within [min, max].
    std::optional<uint32_t> best;
    for (const auto& g : groups) {
        if (g.bits < min || g.bits > max) {
            continue;
        }
        if (g.bits >= preferred) {
            if (!best || *best < preferred || g.bits < *best) {
                best = g.bits;
            }
        } else if (!best || (*best < preferred && g.bits > *best)) {
            best = g.bits;
        }
    }
    if (!best) {
        return std::nullopt;
    }
    std::vector<const DhGroup*> equal;
    for (const auto& g : groups) {
        if (g.bits == *best) {
            equal.push_back(&g);
        }
    }
    // Uniform among equals: rejection sampling over a 32-bit draw. A
    // working Rng almost never needs a second try; the bound keeps a broken
    // one (constant output) from looping forever, at the cost of a tiny bias.
    const uint64_t count = equal.size();
    const uint64_t limit = (uint64_t{1} << 32) / count * count;
    uint64_t r = 0;
    for (int attempt = 0; attempt < 64; ++attempt) {
        uint8_t buf[4];
        rng.fill({buf, sizeof buf});
        r = uint64_t{buf[0]} << 24 | uint64_t{buf[1]} << 16 | uint64_t{buf[2]} << 8 | buf[3];
        if (r < limit) {
            break;
        }
    }
    return *equal[r % count];
}

const std::vector<DhGroup>& builtin_groups()
{
    // RFC 3526 (MODP) and RFC 7919 (FFDHE) safe primes, generator 2.
    static const std::vector<DhGroup> groups = [] {
        static constexpr const char* names[] = {
            "modp/ietf/2048",  "modp/ietf/3072",  "modp/ietf/4096",  "modp/ietf/6144",
            "modp/ietf/8192",  "ffdhe/ietf/2048", "ffdhe/ietf/3072", "ffdhe/ietf/4096",
            "ffdhe/ietf/6144", "ffdhe/ietf/8192",
        };
        std::vector<DhGroup> out;
        for (const char* name : names) {
            const Botan::DL_Group group(name);
            out.push_back(make_group(group.get_p(), group.get_g()));
        }
        return out;
    }();
    return groups;
}

}  // namespace burrow::crypto
