// Rng implementations: the OS generator and a deterministic ChaCha generator.
#include "crypto/rng.h"

#include <botan/chacha_rng.h>
#include <botan/system_rng.h>

namespace burrow::crypto {
namespace {

class SystemRng final : public Rng {
public:
    void fill(MutableByteView out) override { m_rng.randomize(out.data(), out.size()); }

private:
    Botan::System_RNG m_rng;
};

class SeededRng final : public Rng {
public:
    explicit SeededRng(const Botan::secure_vector<uint8_t>& seed) : m_rng(seed) {}
    void fill(MutableByteView out) override { m_rng.randomize(out.data(), out.size()); }

private:
    Botan::ChaCha_RNG m_rng;
};

}  // namespace

std::unique_ptr<Rng> make_system_rng()
{
    return std::make_unique<SystemRng>();
}

std::unique_ptr<Rng> make_seeded_rng(uint64_t seed)
{
    // Botan counts a seed as 8 bits of entropy per byte and wants 256 bits
    // before it will generate: the 64-bit seed is zero-extended to 32 bytes.
    Botan::secure_vector<uint8_t> bytes(32);
    for (size_t i = 0; i < 8; ++i) {
        bytes[i] = static_cast<uint8_t>(seed >> (56 - 8 * i));
    }
    return std::make_unique<SeededRng>(bytes);
}

}  // namespace burrow::crypto
