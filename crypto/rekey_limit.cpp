// RekeyLimit and TIME FORMATS parsing (ssh_config(5), sshd_config(5)).
#include "crypto/rekey_limit.h"

#include <cctype>
#include <limits>

namespace burrow::crypto {

namespace {

constexpr uint64_t max_u64 = std::numeric_limits<uint64_t>::max();

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

/// Leading decimal digits of `text` from `pos`; advances pos. nullopt if
/// there are none or they overflow.
std::optional<uint64_t> read_number(std::string_view text, size_t& pos)
{
    const size_t start = pos;
    uint64_t value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        const auto digit = static_cast<uint64_t>(text[pos] - '0');
        if (value > (max_u64 - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
        ++pos;
    }
    if (pos == start) {
        return std::nullopt;
    }
    return value;
}

std::optional<uint64_t> checked_multiply(uint64_t a, uint64_t b)
{
    if (b != 0 && a > max_u64 / b) {
        return std::nullopt;
    }
    return a * b;
}

std::optional<RekeyLimit> fail(std::string* error, std::string message)
{
    if (error != nullptr) {
        *error = std::move(message);
    }
    return std::nullopt;
}

}  // namespace

std::optional<uint64_t> parse_size_spec(std::string_view text)
{
    size_t pos = 0;
    const std::optional<uint64_t> number = read_number(text, pos);
    if (!number) {
        return std::nullopt;
    }
    if (pos == text.size()) {
        return number;
    }
    if (pos + 1 != text.size()) {
        return std::nullopt;
    }
    switch (std::toupper(static_cast<unsigned char>(text[pos]))) {
        case 'K':
            return checked_multiply(*number, uint64_t{1} << 10);
        case 'M':
            return checked_multiply(*number, uint64_t{1} << 20);
        case 'G':
            return checked_multiply(*number, uint64_t{1} << 30);
        default:
            return std::nullopt;
    }
}

std::optional<std::chrono::seconds> parse_time_spec(std::string_view text)
{
    if (text.empty()) {
        return std::nullopt;
    }
    uint64_t total = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        const std::optional<uint64_t> number = read_number(text, pos);
        if (!number) {
            return std::nullopt;
        }
        uint64_t unit = 1;
        if (pos < text.size() && !(text[pos] >= '0' && text[pos] <= '9')) {
            switch (std::tolower(static_cast<unsigned char>(text[pos]))) {
                case 's':
                    unit = 1;
                    break;
                case 'm':
                    unit = 60;
                    break;
                case 'h':
                    unit = 3600;
                    break;
                case 'd':
                    unit = 86400;
                    break;
                case 'w':
                    unit = 7 * 86400;
                    break;
                default:
                    return std::nullopt;
            }
            ++pos;
        }
        const std::optional<uint64_t> part = checked_multiply(*number, unit);
        // Keep well inside what std::chrono::seconds (int64) holds.
        if (!part || *part > (max_u64 >> 2) - total) {
            return std::nullopt;
        }
        total += *part;
    }
    return std::chrono::seconds(static_cast<std::chrono::seconds::rep>(total));
}

std::optional<RekeyLimit> parse_rekey_limit(const std::vector<std::string>& args,
                                            std::string* error)
{
    if (args.empty() || args.size() > 2) {
        return fail(error, "RekeyLimit takes a size and an optional time");
    }
    RekeyLimit limit;
    if (!iequals(args[0], "default")) {
        const std::optional<uint64_t> bytes = parse_size_spec(args[0]);
        if (!bytes) {
            return fail(error, "bad RekeyLimit size '" + args[0] + "'");
        }
        if (*bytes != 0 && *bytes < min_rekey_bytes) {
            return fail(error, "RekeyLimit too small '" + args[0] + "'");
        }
        limit.bytes = *bytes;
    }
    if (args.size() == 2 && !iequals(args[1], "default")) {
        if (iequals(args[1], "none")) {
            limit.interval = std::chrono::seconds(0);
        } else {
            const std::optional<std::chrono::seconds> time = parse_time_spec(args[1]);
            if (!time) {
                return fail(error, "bad RekeyLimit time '" + args[1] + "'");
            }
            limit.interval = *time;
        }
    }
    return limit;
}

}  // namespace burrow::crypto
