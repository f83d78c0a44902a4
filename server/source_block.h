// Client source addresses as the listener's per-source policies see them:
// PerSourceNetBlockSize groups addresses into blocks, and
// PerSourcePenaltyExemptList matches addresses against address/mask entries
// (sshd_config(5)). Pure logic, no sockets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::server {

/// An IPv4 or IPv6 address in network byte order (IPv4 uses the first 4 bytes).
struct SourceAddress {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};

    /// Parses "192.0.2.1" or "2001:db8::1"; an IPv4-mapped IPv6 address
    /// becomes the IPv4 address.
    static std::optional<SourceAddress> parse(std::string_view text);
    unsigned bit_count() const { return v6 ? 128 : 32; }
    std::string to_string() const;
    /// The same address with every bit after the first `bits` cleared.
    SourceAddress masked(unsigned bits) const;
    bool operator<(const SourceAddress& other) const;
    bool operator==(const SourceAddress& other) const = default;
};

/// PerSourceNetBlockSize v4[:v6] (sshd's default 32:128: one address per block).
struct NetBlockSize {
    unsigned v4 = 32;
    unsigned v6 = 128;
};

/// The block `address` belongs to, e.g. 192.0.2.0/24 for 192.0.2.7 with v4 = 24.
SourceAddress source_block(const SourceAddress& address, const NetBlockSize& sizes);
/// "192.0.2.0/24" for logs.
std::string block_text(const SourceAddress& block, const NetBlockSize& sizes);

/// One entry of an address/mask list ("192.0.2.0/24", "::1", "10.0.0.1").
struct AddressMask {
    SourceAddress network;
    unsigned bits = 32;

    /// Parses one entry; nullopt if malformed or the mask exceeds the family.
    static std::optional<AddressMask> parse(std::string_view text);
    bool contains(const SourceAddress& address) const;
};

/// True if any entry of `list` contains `address`.
bool address_in_list(const std::vector<AddressMask>& list, const SourceAddress& address);

}  // namespace burrow::server
