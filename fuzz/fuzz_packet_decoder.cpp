// Fuzz target: the inbound packet layer with the initial (none) cipher.
// The first byte picks a chunk size so split points are explored too.
#include "fuzz/fuzz_target.h"
#include "protocol/error.h"
#include "protocol/transport/packet_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const size_t chunk = 1 + data[0] % 64;
    burrow::protocol::transport::PacketDecoder decoder;
    try {
        for (size_t off = 1; off < size; off += chunk) {
            decoder.append(burrow::ByteView(data + off, std::min(chunk, size - off)));
            while (decoder.next_payload()) {
            }
            decoder.compact();
        }
    } catch (const burrow::protocol::ProtocolError&) {
        // Clean rejection is the expected outcome for malformed input.
    }
    return 0;
}
