// zlib@openssh.com payload compression (RFC 4253 §6.2; OpenSSH's delayed
// variant starts only after user authentication succeeds). One stream per
// direction for the connection's lifetime, each packet ending with a
// partial flush so the peer can decompress it alone.
#pragma once

#include <memory>

#include "crypto/bytes.h"

namespace burrow::protocol::transport {

/// Name of the only compression method besides "none".
inline constexpr const char* zlib_openssh = "zlib@openssh.com";

class Compressor {
public:
    Compressor();
    ~Compressor();
    Compressor(const Compressor&) = delete;
    Compressor& operator=(const Compressor&) = delete;
    /// Append the compressed form of `payload` to `out` (Z_PARTIAL_FLUSH).
    void compress(ByteView payload, Bytes& out);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

class Decompressor {
public:
    Decompressor();
    ~Decompressor();
    Decompressor(const Decompressor&) = delete;
    Decompressor& operator=(const Decompressor&) = delete;
    /// Replace `out` with the decompressed `payload`. Throws
    /// ProtocolError(compression_error) on corrupt input or when the result
    /// would exceed `max_size` (a decompression bomb).
    void decompress(ByteView payload, Bytes& out, size_t max_size);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace burrow::protocol::transport
