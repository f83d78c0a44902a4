// Random number source. Always passed in, never global, so tests and fuzz
// targets can run with a seeded generator and get byte-exact transcripts.
#pragma once

#include <cstdint>
#include <memory>

#include "crypto/bytes.h"

namespace burrow::crypto {

/// Source of random bytes.
class Rng {
public:
    virtual ~Rng() = default;
    /// Fill `out` with random bytes.
    virtual void fill(MutableByteView out) = 0;
};

/// The operating system's CSPRNG (getrandom), for production use.
std::unique_ptr<Rng> make_system_rng();

/// A deterministic CSPRNG (ChaCha-based) seeded from `seed`. Tests and fuzzing only.
std::unique_ptr<Rng> make_seeded_rng(uint64_t seed);

}  // namespace burrow::crypto
