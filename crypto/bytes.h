// Byte-buffer vocabulary shared by crypto/ and protocol/. Botan-free on purpose:
// protocol/ includes this header, and secret material never leaves crypto/ except
// through opaque handles (SharedSecret) that zeroise themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace burrow {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using MutableByteView = std::span<uint8_t>;

/// View a string's characters as bytes (no copy).
inline ByteView as_bytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/// Copy bytes into a std::string (for text fields carried as SSH strings).
inline std::string to_string(ByteView b)
{
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace burrow
