// Finite-field Diffie-Hellman (RFC 4253 §8): one KexMethod for the fixed
// groups (RFC 3526 via RFC 8268) and for group exchange (RFC 4419).
#include "crypto/dh_kex.h"
#include "crypto/key_agreement_kex.h"

#include <botan/bigint.h>
#include <botan/dh.h>
#include <botan/dl_group.h>
#include <botan/pubkey.h>

#include <optional>
#include <string>

#include "crypto/botan_rng.h"
#include "crypto/dh_group_exchange.h"
#include "crypto/secret_impl.h"

namespace burrow::crypto {
namespace {

/// Private exponent size. RFC 8268 §4 / RFC 3526 §8 ask for at least twice
/// the group's security level; 512 bits covers the 8192-bit group (~200
/// bits of security) and every smaller one.
constexpr size_t exponent_bits = 512;

/// Largest group accepted from a moduli file or a peer: bounds the cost of
/// a modular exponentiation an attacker can request.
constexpr size_t max_group_bits = 16384;

class DhKex final : public KeyAgreementKex {
public:
    DhKex(std::string_view name, std::string_view hash, Botan::DL_Group group)
        : m_name(name),
          m_hash(hash),
          m_group(std::move(group)),
          m_blinding_source(make_system_rng())
    {
    }

    std::string_view name() const override { return m_name; }
    PublicEncoding public_encoding() const override { return PublicEncoding::mpint; }
    std::string_view hash_name() const override { return m_hash; }

private:
    bool has_keypair() const override { return m_private != nullptr; }
    bool valid_public(ByteView value) const override { return in_range(value); }

    Bytes make_keypair(Rng& rng) override
    {
        // x: exactly `exponent_bits` long (top bit forced), drawn from our
        // Rng so a fixed Rng fixes the key. 1 < x < q holds for any safe
        // prime of 2048 bits or more.
        Botan::secure_vector<uint8_t> buf(exponent_bits / 8);
        rng.fill({buf.data(), buf.size()});
        buf[0] = static_cast<uint8_t>(buf[0] | 0x80);
        const Botan::BigInt x = Botan::BigInt::decode(buf);
        BotanRngAdapter blinding(*m_blinding_source);
        m_private = std::make_unique<Botan::DH_PrivateKey>(blinding, m_group, x);
        // e = g^x mod p, crossing the interface as an unsigned magnitude.
        const Botan::BigInt& y = m_private->get_y();
        Bytes out(y.bytes());
        y.binary_encode(out.data());
        return out;
    }

    /// RFC 4253 §8: values outside [1, p-1] must not be accepted; like
    /// common practice we also reject 1 and p-1, which force K into {1, p-1}.
    bool in_range(ByteView value) const
    {
        if (value.size() > m_group.p_bytes() + 1) {
            return false;
        }
        const Botan::BigInt v = Botan::BigInt::decode(value.data(), value.size());
        return v > 1 && v < m_group.get_p() - 1;
    }

    std::optional<SharedSecret> agree(ByteView peer_public) const override
    {
        if (!in_range(peer_public)) {
            return std::nullopt;
        }
        try {
            BotanRngAdapter blinding(*m_blinding_source);
            const Botan::PK_Key_Agreement ka(*m_private, blinding, "Raw");
            const Botan::SymmetricKey k = ka.derive_key(0, peer_public.data(), peer_public.size());
            const Botan::secure_vector<uint8_t> bytes = k.bits_of();
            // RFC 4253 §8: K = f^x mod p, an integer, encoded as an mpint.
            return shared_secret_from_unsigned({bytes.data(), bytes.size()});
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }

    std::string m_name;
    std::string m_hash;
    Botan::DL_Group m_group;
    std::unique_ptr<Rng> m_blinding_source;
    std::unique_ptr<Botan::DH_PrivateKey> m_private;
};

struct FixedGroup {
    std::string_view ssh_name;
    const char* botan_group;
    std::string_view hash;
};

// RFC 8268 §3 (group14/16/18 with SHA-2) and RFC 4253 §8.2 (group14-sha1);
// the groups are RFC 3526 §3, §5, §7.
constexpr FixedGroup fixed_groups[] = {
    {"diffie-hellman-group14-sha256", "modp/ietf/2048", "SHA-256"},
    {"diffie-hellman-group16-sha512", "modp/ietf/4096", "SHA-512"},
    {"diffie-hellman-group18-sha512", "modp/ietf/8192", "SHA-512"},
    {"diffie-hellman-group14-sha1", "modp/ietf/2048", "SHA-1"},
};

}  // namespace

std::unique_ptr<KexMethod> make_fixed_dh_kex(std::string_view name)
{
    for (const auto& fixed : fixed_groups) {
        if (fixed.ssh_name == name) {
            return std::make_unique<DhKex>(name, fixed.hash, Botan::DL_Group(fixed.botan_group));
        }
    }
    return nullptr;
}

std::unique_ptr<KexMethod> make_group_exchange_kex(std::string_view name, const DhGroup& group)
{
    // RFC 4419 §4.2 names the hash in the method name; only SHA-256 is built.
    if (name != "diffie-hellman-group-exchange-sha256") {
        return nullptr;
    }
    // The same checks a client applies to a received group, with our floor.
    if (!acceptable_group(group, gex_min_bits, max_group_bits)) {
        return nullptr;
    }
    try {
        const Botan::BigInt p = Botan::BigInt::decode(group.p.data(), group.p.size());
        const Botan::BigInt g = Botan::BigInt::decode(group.g.data(), group.g.size());
        return std::make_unique<DhKex>(name, "SHA-256", Botan::DL_Group(p, g));
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace burrow::crypto
