// aes128-gcm@openssh.com and aes256-gcm@openssh.com (RFC 5647), on Botan's
// GCM mode (AES-NI + CLMUL where the CPU has them).
#include <botan/aead.h>
#include <botan/exceptn.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "crypto/packet_cipher_raw.h"

namespace burrow::crypto {
namespace {

// RFC 5647 §7.2: padding aligns the encrypted part (everything after the
// length) to the AES block size; §7.3: the tag is 16 bytes.
constexpr CipherTraits gcm_traits{16, 16, true};
constexpr size_t gcm_iv_size = 12;
constexpr size_t gcm_tag_size = 16;
constexpr size_t length_size = 4;

/// One direction of RFC 5647 GCM: the keyed mode, the running IV and a
/// reusable buffer for finish() so the per-packet path does not allocate.
class GcmState {
public:
    GcmState(ByteView key, ByteView iv12, Botan::Cipher_Dir dir)
        : m_mode(Botan::AEAD_Mode::create_or_throw(mode_name(key.size()), dir))
    {
        if (iv12.size() != gcm_iv_size) {
            throw std::invalid_argument("aes-gcm: IV must be 12 bytes");
        }
        m_mode->set_key(key.data(), key.size());
        std::copy(iv12.begin(), iv12.end(), m_iv.begin());
        // Room for a sub-granularity tail plus the tag, so finish() never
        // has to grow it.
        m_final.reserve(m_mode->update_granularity() + gcm_tag_size);
    }

    /// RFC 5647 §7.1: the packet length is the AAD, sent in clear; the IV
    /// is the fixed field followed by the current invocation counter.
    void start(ByteView aad)
    {
        m_mode->set_associated_data(aad.data(), aad.size());
        m_mode->start(m_iv.data(), m_iv.size());
    }

    /// Encrypt `body` in place and write the tag.
    void encrypt(MutableByteView body, uint8_t* tag)
    {
        const size_t bulk = process_bulk(body);
        // The tail (shorter than Botan's update granularity) goes through
        // finish() in the reused buffer, which appends the tag.
        m_final.assign(body.begin() + static_cast<std::ptrdiff_t>(bulk), body.end());
        m_mode->finish(m_final, 0);
        std::copy_n(m_final.data(), body.size() - bulk, body.data() + bulk);
        std::copy_n(m_final.data() + (body.size() - bulk), gcm_tag_size, tag);
    }

    /// Decrypt `body` in place; false if the tag does not verify (the check
    /// inside Botan's finish() is constant time).
    bool decrypt(MutableByteView body, ByteView tag)
    {
        const size_t bulk = process_bulk(body);
        m_final.assign(body.begin() + static_cast<std::ptrdiff_t>(bulk), body.end());
        m_final.insert(m_final.end(), tag.begin(), tag.end());
        try {
            m_mode->finish(m_final, 0);
        } catch (const Botan::Invalid_Authentication_Tag&) {
            return false;
        }
        std::copy_n(m_final.data(), body.size() - bulk, body.data() + bulk);
        return true;
    }

    /// RFC 5647 §7.1: after each packet the 64-bit invocation counter (the
    /// last 8 IV bytes) is incremented as a big-endian integer, wrapping.
    void next_iv()
    {
        for (size_t i = m_iv.size(); i > 4; --i) {
            if (++m_iv[i - 1] != 0) {
                break;
            }
        }
    }

private:
    /// In-place CTR + GHASH over the longest prefix Botan accepts in
    /// process() (a multiple of its update granularity); returns its length.
    size_t process_bulk(MutableByteView body)
    {
        const size_t granularity = m_mode->update_granularity();
        const size_t bulk = body.size() - body.size() % granularity;
        if (bulk > 0) {
            m_mode->process(body.data(), bulk);
        }
        return bulk;
    }

    static std::string mode_name(size_t key_size)
    {
        if (key_size == 16) {
            return "AES-128/GCM";
        }
        if (key_size == 32) {
            return "AES-256/GCM";
        }
        throw std::invalid_argument("aes-gcm: key must be 16 or 32 bytes");
    }

    std::unique_ptr<Botan::AEAD_Mode> m_mode;
    std::array<uint8_t, gcm_iv_size> m_iv{};
    Botan::secure_vector<uint8_t> m_final;
};

bool body_aligned(size_t packet_size)
{
    return packet_size >= length_size && (packet_size - length_size) % gcm_traits.block_size == 0;
}

class AesGcmSealingKey final : public SealingKey {
public:
    AesGcmSealingKey(ByteView key, ByteView iv12) : m_state(key, iv12, Botan::ENCRYPTION) {}
    const CipherTraits& traits() const override { return gcm_traits; }

    void seal(uint32_t, MutableByteView packet, MutableByteView tag) override
    {
        if (!body_aligned(packet.size()) || tag.size() != gcm_tag_size) {
            throw std::invalid_argument("aes-gcm: bad packet or tag size");
        }
        m_state.start(packet.first(length_size));
        m_state.encrypt(packet.subspan(length_size), tag.data());
        m_state.next_iv();
    }

private:
    GcmState m_state;
};

class AesGcmOpeningKey final : public OpeningKey {
public:
    AesGcmOpeningKey(ByteView key, ByteView iv12) : m_state(key, iv12, Botan::DECRYPTION) {}
    const CipherTraits& traits() const override { return gcm_traits; }
    size_t length_header_size() const override { return length_size; }

    uint32_t decrypt_length(uint32_t, MutableByteView header) override
    {
        if (header.size() < length_size) {
            throw std::invalid_argument("aes-gcm: short header");
        }
        // RFC 5647 §7.3: the length is not encrypted (it is the AAD).
        return (uint32_t{header[0]} << 24) | (uint32_t{header[1]} << 16) |
               (uint32_t{header[2]} << 8) | uint32_t{header[3]};
    }

    bool open(uint32_t, MutableByteView packet, ByteView tag) override
    {
        if (!body_aligned(packet.size()) || tag.size() != gcm_tag_size) {
            return false;
        }
        // Botan's GCM decrypts while hashing, so the body is already
        // transformed when the tag is checked; on failure the contents are
        // unspecified and the caller disconnects.
        m_state.start(packet.first(length_size));
        if (!m_state.decrypt(packet.subspan(length_size), tag)) {
            return false;
        }
        m_state.next_iv();
        return true;
    }

private:
    GcmState m_state;
};

}  // namespace

std::unique_ptr<SealingKey> make_aes_gcm_sealing_key(ByteView key, ByteView iv12)
{
    return std::make_unique<AesGcmSealingKey>(key, iv12);
}

std::unique_ptr<OpeningKey> make_aes_gcm_opening_key(ByteView key, ByteView iv12)
{
    return std::make_unique<AesGcmOpeningKey>(key, iv12);
}

}  // namespace burrow::crypto
