// Private to crypto/: lets Botan key generation and signing draw from our Rng,
// so a seeded Rng makes every crypto operation reproducible in tests.
#pragma once

#include <botan/rng.h>

#include <string>

#include "crypto/rng.h"

namespace burrow::crypto {

class BotanRngAdapter final : public Botan::RandomNumberGenerator {
public:
    explicit BotanRngAdapter(Rng& rng) : m_rng(rng) {}

    void randomize(uint8_t output[], size_t length) override { m_rng.fill({output, length}); }
    bool accepts_input() const override { return false; }
    void add_entropy(const uint8_t[], size_t) override {}
    std::string name() const override { return "burrow-rng"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

private:
    Rng& m_rng;
};

}  // namespace burrow::crypto
