// The "none" cipher and MAC in force before the first NEWKEYS (RFC 4253 §6.3).
#include <stdexcept>

#include "crypto/packet_cipher.h"
#include "crypto/wire_util.h"

namespace burrow::crypto {
namespace {

// RFC 4253 §6: with no cipher, padding still aligns to 8 and covers the length.
constexpr CipherTraits null_traits{8, 0, false};

class NullSealingKey final : public SealingKey {
public:
    const CipherTraits& traits() const override { return null_traits; }
    void seal(uint32_t, MutableByteView, MutableByteView tag) override
    {
        if (!tag.empty()) {
            throw std::invalid_argument("null cipher: tag must be empty");
        }
    }
};

class NullOpeningKey final : public OpeningKey {
public:
    const CipherTraits& traits() const override { return null_traits; }
    size_t length_header_size() const override { return 4; }
    uint32_t decrypt_length(uint32_t, MutableByteView header) override
    {
        if (header.size() < 4) {
            throw std::invalid_argument("null cipher: short header");
        }
        return load_u32(header.data());
    }
    bool open(uint32_t, MutableByteView, ByteView tag) override { return tag.empty(); }
};

}  // namespace

std::unique_ptr<SealingKey> make_null_sealing_key()
{
    return std::make_unique<NullSealingKey>();
}

std::unique_ptr<OpeningKey> make_null_opening_key()
{
    return std::make_unique<NullOpeningKey>();
}

}  // namespace burrow::crypto
