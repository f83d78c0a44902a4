// chacha20-poly1305@openssh.com, as specified in OpenSSH's
// PROTOCOL.chacha20poly1305, built from Botan's ChaCha20 (64-bit nonce,
// 64-bit block counter) and Poly1305 primitives.
#include <botan/mac.h>
#include <botan/mem_ops.h>
#include <botan/stream_cipher.h>

#include <array>
#include <stdexcept>

#include "crypto/packet_cipher_raw.h"
#include "crypto/wire_util.h"

namespace burrow::crypto {
namespace {

// Padding aligns to 8 and the length sits outside the aligned region,
// because it has its own cipher instance (PROTOCOL.chacha20poly1305).
constexpr CipherTraits chacha_traits{8, 16, true};
constexpr size_t chacha_key_size = 64;
constexpr size_t poly_tag_size = 16;
constexpr size_t length_size = 4;

/// The two keyed ChaCha20 instances and the Poly1305 instance. Everything
/// is allocated once at construction; per packet only keys/nonces change.
class ChaChaPolyState {
public:
    explicit ChaChaPolyState(ByteView key64)
        : m_main(Botan::StreamCipher::create_or_throw("ChaCha(20)")),
          m_length(Botan::StreamCipher::create_or_throw("ChaCha(20)")),
          m_poly(Botan::MessageAuthenticationCode::create_or_throw("Poly1305")),
          m_poly_key(32)
    {
        if (key64.size() != chacha_key_size) {
            throw std::invalid_argument("chacha20-poly1305: key must be 64 bytes");
        }
        // The first 256 bits are K_2 (payload + MAC key); the second are K_1
        // (length only).
        m_main->set_key(key64.data(), 32);
        m_length->set_key(key64.data() + 32, 32);
    }

    /// En/decrypt the 4 length bytes with K_1, nonce = seqno, counter 0.
    void crypt_length(uint64_t seqno, uint8_t* bytes)
    {
        set_nonce(*m_length, seqno);
        m_length->cipher1(bytes, length_size);
    }

    /// Key K_2's instance for `seqno` and derive the one-time Poly1305 key
    /// from block 0; leaves the instance at block 1 for the payload.
    void start_packet(uint64_t seqno)
    {
        set_nonce(*m_main, seqno);
        m_main->write_keystream(m_poly_key.data(), m_poly_key.size());
        m_main->seek(64);
        m_poly->set_key(m_poly_key.data(), m_poly_key.size());
    }

    /// En/decrypt the bytes after the length with K_2 from block 1.
    void crypt_body(uint8_t* bytes, size_t len) { m_main->cipher1(bytes, len); }

    /// Poly1305 over the encrypted length and payload.
    void compute_tag(ByteView ciphertext, uint8_t* out)
    {
        m_poly->update(ciphertext.data(), ciphertext.size());
        m_poly->final(out);
    }

private:
    static void set_nonce(Botan::StreamCipher& c, uint64_t seqno)
    {
        // The nonce is the sequence number as an SSH uint64 (big endian).
        std::array<uint8_t, 8> nonce{};
        for (size_t i = 0; i < nonce.size(); ++i) {
            nonce[i] = static_cast<uint8_t>(seqno >> (56 - 8 * i));
        }
        c.set_iv(nonce.data(), nonce.size());
    }

    std::unique_ptr<Botan::StreamCipher> m_main;
    std::unique_ptr<Botan::StreamCipher> m_length;
    std::unique_ptr<Botan::MessageAuthenticationCode> m_poly;
    Botan::secure_vector<uint8_t> m_poly_key;
};

class ChaChaPolySealingKey final : public SealingKey {
public:
    explicit ChaChaPolySealingKey(ByteView key64) : m_state(key64) {}
    const CipherTraits& traits() const override { return chacha_traits; }

    void seal(uint32_t seqno, MutableByteView packet, MutableByteView tag) override
    {
        if (packet.size() < length_size || tag.size() != poly_tag_size) {
            throw std::invalid_argument("chacha20-poly1305: bad packet or tag size");
        }
        m_state.crypt_length(seqno, packet.data());
        m_state.start_packet(seqno);
        m_state.crypt_body(packet.data() + length_size, packet.size() - length_size);
        m_state.compute_tag(packet, tag.data());
    }

private:
    ChaChaPolyState m_state;
};

class ChaChaPolyOpeningKey final : public OpeningKey {
public:
    explicit ChaChaPolyOpeningKey(ByteView key64) : m_state(key64) {}
    const CipherTraits& traits() const override { return chacha_traits; }
    size_t length_header_size() const override { return length_size; }

    uint32_t decrypt_length(uint32_t seqno, MutableByteView header) override
    {
        if (header.size() < length_size) {
            throw std::invalid_argument("chacha20-poly1305: short header");
        }
        // Decrypt a copy: the tag covers the encrypted length bytes, so the
        // header must reach open() unchanged.
        std::array<uint8_t, length_size> copy{};
        std::copy_n(header.data(), length_size, copy.data());
        m_state.crypt_length(seqno, copy.data());
        return load_u32(copy.data());
    }

    bool open(uint32_t seqno, MutableByteView packet, ByteView tag) override
    {
        if (packet.size() < length_size || tag.size() != poly_tag_size) {
            return false;
        }
        // The MAC MUST be checked before decryption, in constant time.
        m_state.start_packet(seqno);
        m_state.compute_tag(packet, m_expected.data());
        if (!Botan::constant_time_compare(m_expected.data(), tag.data(), poly_tag_size)) {
            return false;
        }
        m_state.crypt_body(packet.data() + length_size, packet.size() - length_size);
        // Hand back the plaintext length too; callers may rely on it or not.
        m_state.crypt_length(seqno, packet.data());
        return true;
    }

private:
    ChaChaPolyState m_state;
    std::array<uint8_t, poly_tag_size> m_expected{};
};

}  // namespace

std::unique_ptr<SealingKey> make_chacha_poly_sealing_key(ByteView key64)
{
    return std::make_unique<ChaChaPolySealingKey>(key64);
}

std::unique_ptr<OpeningKey> make_chacha_poly_opening_key(ByteView key64)
{
    return std::make_unique<ChaChaPolyOpeningKey>(key64);
}

}  // namespace burrow::crypto
