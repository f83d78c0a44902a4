// zlib@openssh.com payload compression on zlib (RFC 4253 §6.2, RFC 1950/1951).
// One deflate and one inflate stream per direction for the connection's
// lifetime; every packet ends with a partial flush (as OpenSSH does), so the
// peer can decompress each packet as soon as it arrives.
#include "protocol/transport/compression.h"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <string>

#include "protocol/error.h"

namespace burrow::protocol::transport {
namespace {

/// Room added to the output buffer whenever zlib fills it.
constexpr size_t min_growth = 1024;

[[noreturn]] void fail(const std::string& what)
{
    throw ProtocolError(DisconnectReason::compression_error, what);
}

/// zlib's counters are `uInt`; SSH packets are far below that limit, but a
/// view longer than uInt must never be silently truncated.
uInt checked_uint(size_t n)
{
    if (n > std::numeric_limits<uInt>::max()) {
        fail("compression: buffer too large");
    }
    return static_cast<uInt>(n);
}

}  // namespace

struct Compressor::State {
    z_stream z{};
};

struct Decompressor::State {
    z_stream z{};
};

Compressor::Compressor() : m_state(std::make_unique<State>())
{
    if (deflateInit(&m_state->z, Z_DEFAULT_COMPRESSION) != Z_OK) {
        throw std::runtime_error("zlib: deflateInit failed");
    }
}

Compressor::~Compressor()
{
    deflateEnd(&m_state->z);
}

void Compressor::compress(ByteView payload, Bytes& out)
{
    z_stream& z = m_state->z;
    // zlib takes a non-const input pointer but does not write through it.
    z.next_in = const_cast<Bytef*>(payload.data());
    z.avail_in = checked_uint(payload.size());
    size_t used = out.size();
    // RFC 4253 §6.2 + OpenSSH: Z_PARTIAL_FLUSH ends every packet on a byte
    // boundary. zlib signals "more output pending" by filling the buffer.
    do {
        const size_t room = std::max(min_growth, payload.size() + payload.size() / 8 + 64);
        out.resize(used + room);
        z.next_out = out.data() + used;
        z.avail_out = checked_uint(room);
        const int rc = deflate(&z, Z_PARTIAL_FLUSH);
        used = out.size() - z.avail_out;
        // Z_BUF_ERROR only means no progress was possible: nothing left to do.
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            out.resize(used);
            fail("compression: deflate failed");
        }
    } while (z.avail_out == 0);
    out.resize(used);
}

Decompressor::Decompressor() : m_state(std::make_unique<State>())
{
    if (inflateInit(&m_state->z) != Z_OK) {
        throw std::runtime_error("zlib: inflateInit failed");
    }
}

Decompressor::~Decompressor()
{
    inflateEnd(&m_state->z);
}

void Decompressor::decompress(ByteView payload, Bytes& out, size_t max_size)
{
    z_stream& z = m_state->z;
    z.next_in = const_cast<Bytef*>(payload.data());
    z.avail_in = checked_uint(payload.size());
    // One byte beyond the limit is enough to tell "too large" from "exactly
    // max_size"; inflate never writes past what it is given, so a bomb costs
    // at most max_size + 1 bytes of buffer.
    const size_t cap = max_size + 1;
    size_t produced = 0;
    out.clear();
    for (;;) {
        if (produced == out.size()) {
            // Within the caller's reused capacity this does not allocate.
            const size_t want = std::max({2 * produced, 4 * payload.size(), min_growth});
            out.resize(std::min(want, cap));
        }
        z.next_out = out.data() + produced;
        z.avail_out = checked_uint(out.size() - produced);
        const int rc = inflate(&z, Z_SYNC_FLUSH);
        produced = out.size() - z.avail_out;
        if (produced > max_size) {
            fail("decompressed packet exceeds " + std::to_string(max_size) + " bytes");
        }
        const bool out_full = z.avail_out == 0;
        if ((rc == Z_OK || rc == Z_BUF_ERROR) && !out_full && z.avail_in == 0) {
            break;  // all input consumed and all pending output flushed
        }
        if (rc == Z_OK || (rc == Z_BUF_ERROR && out_full)) {
            continue;  // more output pending: grow and go on
        }
        // Z_STREAM_END included: the zlib@openssh.com stream never ends.
        fail(std::string("decompression failed: ") + (z.msg != nullptr ? z.msg : "zlib error"));
    }
    out.resize(produced);
}

}  // namespace burrow::protocol::transport
