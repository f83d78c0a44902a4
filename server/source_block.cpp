#include "server/source_block.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace burrow::server {

namespace {

/// The IPv4-mapped IPv6 prefix ::ffff:0:0/96 (RFC 4291 §2.5.5.2).
constexpr std::array<uint8_t, 12> v4_mapped_prefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

std::optional<SourceAddress> SourceAddress::parse(std::string_view text)
{
    const std::string s(text);
    SourceAddress a;
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
        return a;
    }
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) {
        return std::nullopt;
    }
    a.v6 = true;
    if (std::equal(v4_mapped_prefix.begin(), v4_mapped_prefix.end(), a.bytes.begin())) {
        SourceAddress v4;
        std::copy(a.bytes.begin() + 12, a.bytes.end(), v4.bytes.begin());
        return v4;
    }
    return a;
}

std::string SourceAddress::to_string() const
{
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof text);
    return text;
}

SourceAddress SourceAddress::masked(unsigned bits) const
{
    SourceAddress out = *this;
    const unsigned total = bit_count();
    bits = std::min(bits, total);
    for (unsigned i = 0; i < total / 8; ++i) {
        const unsigned first_bit = i * 8;
        if (first_bit >= bits) {
            out.bytes[i] = 0;
        } else if (bits - first_bit < 8) {
            out.bytes[i] &= static_cast<uint8_t>(0xff << (8 - (bits - first_bit)));
        }
    }
    return out;
}

bool SourceAddress::operator<(const SourceAddress& other) const
{
    if (v6 != other.v6) {
        return !v6;
    }
    return bytes < other.bytes;
}

SourceAddress source_block(const SourceAddress& address, const NetBlockSize& sizes)
{
    return address.masked(address.v6 ? sizes.v6 : sizes.v4);
}

std::string block_text(const SourceAddress& block, const NetBlockSize& sizes)
{
    return block.to_string() + "/" + std::to_string(block.v6 ? sizes.v6 : sizes.v4);
}

std::optional<AddressMask> AddressMask::parse(std::string_view text)
{
    const size_t slash = text.find('/');
    const std::optional<SourceAddress> address = SourceAddress::parse(text.substr(0, slash));
    if (!address) {
        return std::nullopt;
    }
    AddressMask entry{*address, address->bit_count()};
    if (slash != std::string_view::npos) {
        const std::string_view bits = text.substr(slash + 1);
        const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), entry.bits);
        if (ec != std::errc() || end != bits.data() + bits.size() || bits.empty() ||
            entry.bits > address->bit_count()) {
            return std::nullopt;
        }
    }
    entry.network = address->masked(entry.bits);
    return entry;
}

bool AddressMask::contains(const SourceAddress& address) const
{
    return address.v6 == network.v6 && address.masked(bits) == network;
}

bool address_in_list(const std::vector<AddressMask>& list, const SourceAddress& address)
{
    return std::any_of(list.begin(), list.end(),
                       [&](const AddressMask& entry) { return entry.contains(address); });
}

}  // namespace burrow::server
