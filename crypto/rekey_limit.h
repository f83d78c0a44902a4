// OpenSSH's RekeyLimit syntax (ssh_config(5), sshd_config(5)):
//   RekeyLimit default|SIZE[K|M|G] [default|none|TIME]
// with TIME in sshd_config(5)'s "TIME FORMATS" (90, 90s, 1h30m, 2w...).
// Shared by burrowd and burrow. No Botan here.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::crypto {

/// Default time between rekeys when RekeyLimit does not set one.
inline constexpr std::chrono::seconds default_rekey_interval = std::chrono::hours(1);

/// Smallest explicit data limit OpenSSH accepts.
inline constexpr uint64_t min_rekey_bytes = 16;

/// A parsed RekeyLimit.
struct RekeyLimit {
    /// Bytes per key; 0 = the RFC 4344 default for the negotiated cipher.
    uint64_t bytes = 0;
    /// Time per key; 0 = no time limit.
    std::chrono::seconds interval = default_rekey_interval;
    bool operator==(const RekeyLimit&) const = default;
};

/// "SIZE[K|M|G]" (powers of 1024, suffix case-insensitive); nullopt if
/// malformed or overflowing.
std::optional<uint64_t> parse_size_spec(std::string_view text);

/// sshd_config(5) TIME FORMATS: a sequence of number[s|m|h|d|w] (no
/// qualifier = seconds), e.g. "1h30m"; nullopt if malformed.
std::optional<std::chrono::seconds> parse_time_spec(std::string_view text);

/// Parse the one or two RekeyLimit arguments. On error returns nullopt and
/// sets `error` (if not null).
std::optional<RekeyLimit> parse_rekey_limit(const std::vector<std::string>& args,
                                            std::string* error);

}  // namespace burrow::crypto
