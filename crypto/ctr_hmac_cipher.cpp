// aes128-ctr, aes192-ctr, aes256-ctr (RFC 4344 §4) combined with an HMAC:
// hmac-sha2-256/512 (RFC 6668), hmac-sha1 (RFC 4253 §6.4) and their
// encrypt-then-MAC variants (OpenSSH PROTOCOL §1.5).
//
// Classic MAC (RFC 4253 §6.3-6.4): the whole packet, length included, is
// encrypted, and the MAC covers seqno || plaintext packet. ETM: the length
// stays in clear, the MAC covers seqno || length || ciphertext and is checked
// before anything is decrypted.
#include "crypto/ctr_hmac_cipher.h"

#include <botan/mem_ops.h>
#include <botan/stream_cipher.h>

#include <stdexcept>
#include <string>

#include "crypto/packet_cipher_raw.h"
#include "crypto/wire_util.h"

namespace burrow::crypto {
namespace {

constexpr size_t aes_block = 16;
constexpr size_t length_size = 4;

constexpr MacSpec mac_specs[] = {
    {"hmac-sha2-256-etm@openssh.com", "HMAC(SHA-256)", 32, true},
    {"hmac-sha2-512-etm@openssh.com", "HMAC(SHA-512)", 64, true},
    {"hmac-sha1-etm@openssh.com", "HMAC(SHA-1)", 20, true},
    {"hmac-sha2-256", "HMAC(SHA-256)", 32, false},
    {"hmac-sha2-512", "HMAC(SHA-512)", 64, false},
    {"hmac-sha1", "HMAC(SHA-1)", 20, false},
};

/// The keyed AES-CTR keystream for one direction. RFC 4344 §4: the IV is the
/// initial 128-bit big-endian counter X, incremented per block modulo 2^128,
/// and the stream runs on across packets (it is never reset per packet).
std::unique_ptr<Botan::StreamCipher> make_ctr(ByteView key, ByteView iv16)
{
    std::string name;
    switch (key.size()) {
        case 16:
            name = "CTR-BE(AES-128)";
            break;
        case 24:
            name = "CTR-BE(AES-192)";
            break;
        case 32:
            name = "CTR-BE(AES-256)";
            break;
        default:
            throw std::invalid_argument("aes-ctr: key must be 16, 24 or 32 bytes");
    }
    if (iv16.size() != aes_block) {
        throw std::invalid_argument("aes-ctr: IV must be 16 bytes");
    }
    auto ctr = Botan::StreamCipher::create_or_throw(name);
    ctr->set_key(key.data(), key.size());
    ctr->set_iv(iv16.data(), iv16.size());
    return ctr;
}

CipherTraits traits_for(const PacketMac& mac)
{
    // RFC 4253 §6: padding aligns to the cipher block size; with ETM the
    // length is outside the encrypted, aligned region (PROTOCOL §1.5).
    return CipherTraits{aes_block, mac.size(), mac.etm()};
}

/// True if the region that must be a whole number of AES blocks is one.
bool aligned(const PacketMac& mac, size_t packet_size)
{
    const size_t skip = mac.etm() ? length_size : 0;
    return packet_size >= skip + aes_block && (packet_size - skip) % aes_block == 0;
}

class CtrHmacSealingKey final : public SealingKey {
public:
    CtrHmacSealingKey(ByteView key, ByteView iv16, const MacSpec& spec, ByteView mac_key)
        : m_ctr(make_ctr(key, iv16)), m_mac(spec, mac_key), m_traits(traits_for(m_mac))
    {
    }
    const CipherTraits& traits() const override { return m_traits; }

    void seal(uint32_t seqno, MutableByteView packet, MutableByteView tag) override
    {
        if (!aligned(m_mac, packet.size()) || tag.size() != m_mac.size()) {
            throw std::invalid_argument("aes-ctr: bad packet or tag size");
        }
        if (m_mac.etm()) {
            m_ctr->cipher1(packet.data() + length_size, packet.size() - length_size);
            m_mac.compute(seqno, packet, {}, tag.data());
        } else {
            m_mac.compute(seqno, packet, {}, tag.data());
            m_ctr->cipher1(packet.data(), packet.size());
        }
    }

private:
    std::unique_ptr<Botan::StreamCipher> m_ctr;
    PacketMac m_mac;
    CipherTraits m_traits;
};

class CtrHmacOpeningKey final : public OpeningKey {
public:
    CtrHmacOpeningKey(ByteView key, ByteView iv16, const MacSpec& spec, ByteView mac_key)
        : m_ctr(make_ctr(key, iv16)), m_mac(spec, mac_key), m_traits(traits_for(m_mac))
    {
    }
    const CipherTraits& traits() const override { return m_traits; }

    /// Classic MAC: the length is encrypted, so a whole first block must be
    /// decrypted to read it. ETM: only the clear 4-byte length.
    size_t length_header_size() const override { return m_mac.etm() ? length_size : aes_block; }

    uint32_t decrypt_length(uint32_t, MutableByteView header) override
    {
        if (header.size() < length_header_size()) {
            throw std::invalid_argument("aes-ctr: short header");
        }
        if (m_mac.etm()) {
            return load_u32(header.data());
        }
        // Decrypt a copy and keep it for open(): the header bytes are left as
        // received, so open() works whether the caller hands them back
        // untouched or not, and the keystream is consumed exactly once.
        std::copy_n(header.data(), aes_block, m_first_block.begin());
        m_ctr->cipher1(m_first_block.data(), aes_block);
        m_have_first_block = true;
        return load_u32(m_first_block.data());
    }

    bool open(uint32_t seqno, MutableByteView packet, ByteView tag) override
    {
        if (!aligned(m_mac, packet.size()) || tag.size() != m_mac.size()) {
            m_have_first_block = false;
            return false;
        }
        return m_mac.etm() ? open_etm(seqno, packet, tag) : open_classic(seqno, packet, tag);
    }

private:
    /// PROTOCOL §1.5: authenticate the ciphertext first; a forged packet is
    /// never decrypted (and the keystream does not advance).
    bool open_etm(uint32_t seqno, MutableByteView packet, ByteView tag)
    {
        if (!m_mac.verify(seqno, packet, {}, tag)) {
            return false;
        }
        m_ctr->cipher1(packet.data() + length_size, packet.size() - length_size);
        return true;
    }

    /// RFC 4253 §6.4: the MAC is over the plaintext, so decrypt, then verify.
    bool open_classic(uint32_t seqno, MutableByteView packet, ByteView tag)
    {
        if (m_have_first_block) {
            std::copy(m_first_block.begin(), m_first_block.end(), packet.begin());
            m_ctr->cipher1(packet.data() + aes_block, packet.size() - aes_block);
            m_have_first_block = false;
        } else {
            m_ctr->cipher1(packet.data(), packet.size());
        }
        return m_mac.verify(seqno, packet, {}, tag);
    }

    std::unique_ptr<Botan::StreamCipher> m_ctr;
    PacketMac m_mac;
    CipherTraits m_traits;
    std::array<uint8_t, aes_block> m_first_block{};
    bool m_have_first_block = false;
};

}  // namespace

const MacSpec* find_mac(std::string_view ssh_name)
{
    for (const auto& spec : mac_specs) {
        if (spec.ssh_name == ssh_name) {
            return &spec;
        }
    }
    return nullptr;
}

size_t ctr_key_size(std::string_view ssh_name)
{
    if (ssh_name == "aes128-ctr") {
        return 16;
    }
    if (ssh_name == "aes192-ctr") {
        return 24;
    }
    if (ssh_name == "aes256-ctr") {
        return 32;
    }
    return 0;
}

PacketMac::PacketMac(const MacSpec& spec, ByteView key)
    : m_spec(spec), m_hmac(Botan::MessageAuthenticationCode::create_or_throw(spec.botan_name))
{
    if (m_hmac->output_length() != spec.size || spec.size > max_mac_size) {
        throw std::logic_error("PacketMac: spec size does not match the HMAC");
    }
    m_hmac->set_key(key.data(), key.size());
}

void PacketMac::compute(uint32_t seqno, ByteView a, ByteView b, uint8_t* out)
{
    std::array<uint8_t, 4> seq{};
    store_u32(seq.data(), seqno);
    m_hmac->update(seq.data(), seq.size());
    m_hmac->update(a.data(), a.size());
    m_hmac->update(b.data(), b.size());
    m_hmac->final(out);
}

bool PacketMac::verify(uint32_t seqno, ByteView a, ByteView b, ByteView tag)
{
    if (tag.size() != size()) {
        return false;
    }
    compute(seqno, a, b, m_expected.data());
    return Botan::constant_time_compare(m_expected.data(), tag.data(), size());
}

std::unique_ptr<SealingKey> make_ctr_hmac_sealing_key(ByteView key, ByteView iv16,
                                                      std::string_view mac, ByteView mac_key)
{
    const MacSpec* spec = find_mac(mac);
    if (spec == nullptr) {
        return nullptr;
    }
    return std::make_unique<CtrHmacSealingKey>(key, iv16, *spec, mac_key);
}

std::unique_ptr<OpeningKey> make_ctr_hmac_opening_key(ByteView key, ByteView iv16,
                                                      std::string_view mac, ByteView mac_key)
{
    const MacSpec* spec = find_mac(mac);
    if (spec == nullptr) {
        return nullptr;
    }
    return std::make_unique<CtrHmacOpeningKey>(key, iv16, *spec, mac_key);
}

}  // namespace burrow::crypto
