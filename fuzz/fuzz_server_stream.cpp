// Fuzz target: a whole server connection fed a client byte stream, with a
// fixed host key and seeded RNG so a recorded client transcript (the seed
// corpus) drives it through kex, auth and channels.
#include "fuzz/fuzz_server.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    burrow::fuzz::FuzzServer server;
    server.feed(burrow::ByteView(data, size));
    return 0;
}
