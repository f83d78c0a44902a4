// Counts heap allocations (malloc/calloc/realloc, which operator new and
// Botan's secure_vector reach) so benchmarks can report allocations per packet.
#pragma once

#include <cstdint>

namespace burrow::bench {

/// Allocations made by this process so far.
uint64_t allocations();

}  // namespace burrow::bench
