// Algorithm names and factories: the single mapping from SSH names to code,
// and the default offers (strongest first, like OpenSSH 9.x).
//
// Cipher, MAC and key-type names are listed here but only reported as
// supported once their factory actually builds an object (probed once, on
// first use), so the protocol never offers something it cannot make.
#include "crypto/registry.h"

#include <algorithm>
#include <array>
#include <functional>

#include "crypto/curve25519_kex.h"
#include "crypto/dh_kex.h"
#include "crypto/ecdh_kex.h"
#include "crypto/keys.h"
#include "crypto/packet_cipher.h"
#include "crypto/secret_impl.h"

namespace burrow::crypto {
namespace {

using Names = std::vector<std::string>;

struct KexInfo {
    const char* name;
    const char* hash;
};

// Strongest first. RFC 8731 (curve25519), RFC 5656 (ECDH), RFC 4419 +
// RFC 8268 (group exchange, SHA-256), RFC 8268 (group14/16/18), RFC 4253
// §8.2 (group14-sha1, legacy).
constexpr KexInfo kex_table[] = {
    {"curve25519-sha256", "SHA-256"},
    {"curve25519-sha256@libssh.org", "SHA-256"},
    {"ecdh-sha2-nistp256", "SHA-256"},
    {"ecdh-sha2-nistp384", "SHA-384"},
    {"ecdh-sha2-nistp521", "SHA-512"},
    {"diffie-hellman-group-exchange-sha256", "SHA-256"},
    {"diffie-hellman-group16-sha512", "SHA-512"},
    {"diffie-hellman-group18-sha512", "SHA-512"},
    {"diffie-hellman-group14-sha256", "SHA-256"},
    {"diffie-hellman-group14-sha1", "SHA-1"},
};

constexpr std::array cipher_candidates = {
    "chacha20-poly1305@openssh.com",
    "aes128-gcm@openssh.com",
    "aes256-gcm@openssh.com",
    "aes128-ctr",
    "aes192-ctr",
    "aes256-ctr",
};

constexpr std::array mac_candidates = {
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512-etm@openssh.com",
    "hmac-sha2-256",
    "hmac-sha2-512",
    "hmac-sha1-etm@openssh.com",
    "hmac-sha1",
};

constexpr std::array key_type_candidates = {
    "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
};

constexpr std::array signature_candidates = {
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "rsa-sha2-512",
    "rsa-sha2-256",
    "ssh-rsa",
};

/// Weak algorithms: supported on request, never in a default offer
/// (SHA-1 based: RFC 9142 §3.1, RFC 8332 §3).
constexpr std::array not_by_default = {
    "diffie-hellman-group14-sha1",
    "hmac-sha1-etm@openssh.com",
    "hmac-sha1",
    "ssh-rsa",
};

/// NIST-curve kex is supported but the server does not offer it by default.
constexpr std::array nist_kex = {
    "ecdh-sha2-nistp256",
    "ecdh-sha2-nistp384",
    "ecdh-sha2-nistp521",
};

template <typename List>
bool contains(const List& list, std::string_view name)
{
    return std::find(list.begin(), list.end(), name) != list.end();
}

template <typename List>
Names keep_if(const List& candidates, const std::function<bool(std::string_view)>& works)
{
    Names out;
    for (const auto& name : candidates) {
        if (works(name)) {
            out.emplace_back(name);
        }
    }
    return out;
}

template <typename List>
Names without(const Names& names, const List& excluded)
{
    Names out;
    for (const auto& name : names) {
        if (!contains(excluded, name)) {
            out.push_back(name);
        }
    }
    return out;
}

/// Does make_sealing_key build (cipher, mac) from throwaway key material?
bool cipher_pair_works(std::string_view cipher, std::string_view mac)
{
    static const Bytes zeros(64, 0);
    static const SharedSecret k = shared_secret_from_unsigned(ByteView(zeros).first(32));
    const KeyMaterial km{"SHA-256", &k, ByteView(zeros).first(32), ByteView(zeros).first(32)};
    try {
        return make_sealing_key(cipher, mac, km, Direction::client_to_server) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

bool cipher_works(std::string_view cipher)
{
    if (cipher_is_aead(cipher)) {
        return cipher_pair_works(cipher, "");
    }
    return std::any_of(mac_candidates.begin(), mac_candidates.end(),
                       [&](const char* mac) { return cipher_pair_works(cipher, mac); });
}

bool mac_works(std::string_view mac)
{
    return std::any_of(cipher_candidates.begin(), cipher_candidates.end(), [&](const char* c) {
        return !cipher_is_aead(c) && cipher_pair_works(c, mac);
    });
}

}  // namespace

const std::vector<std::string>& supported_kex()
{
    static const Names names = [] {
        Names out;
        for (const auto& info : kex_table) {
            out.emplace_back(info.name);
        }
        return out;
    }();
    return names;
}

const std::vector<std::string>& supported_ciphers()
{
    static const Names names = keep_if(cipher_candidates, cipher_works);
    return names;
}

const std::vector<std::string>& supported_aead_ciphers()
{
    static const Names names =
        keep_if(supported_ciphers(), [](std::string_view c) { return cipher_is_aead(c); });
    return names;
}

const std::vector<std::string>& supported_macs()
{
    static const Names names = keep_if(mac_candidates, mac_works);
    return names;
}

const std::vector<std::string>& supported_key_types()
{
    static const Names names = keep_if(key_type_candidates, [](std::string_view type) {
        return !signature_algorithms_for(type).empty();
    });
    return names;
}

const std::vector<std::string>& supported_signature_algorithms()
{
    static const Names names = keep_if(signature_candidates, [](std::string_view sig) {
        return contains(supported_key_types(), key_type_for_signature(sig));
    });
    return names;
}

std::vector<std::string> default_kex(Side side)
{
    const Names strong = without(supported_kex(), not_by_default);
    return side == Side::server ? without(strong, nist_kex) : strong;
}

std::vector<std::string> default_ciphers()
{
    // Already in preference order: AEAD ahead of CTR.
    return supported_ciphers();
}

std::vector<std::string> default_macs()
{
    // ETM ahead of encrypt-and-MAC (candidate order), no SHA-1.
    return without(supported_macs(), not_by_default);
}

std::vector<std::string> default_host_key_algorithms()
{
    return without(supported_signature_algorithms(), not_by_default);
}

std::vector<std::string> default_pubkey_algorithms()
{
    return without(supported_signature_algorithms(), not_by_default);
}

std::unique_ptr<KexMethod> make_kex(std::string_view name)
{
    if (name == "curve25519-sha256" || name == "curve25519-sha256@libssh.org") {
        return make_curve25519_kex(name);
    }
    if (auto ecdh = make_ecdh_kex(name)) {
        return ecdh;
    }
    // nullptr for group exchange: its group is negotiated first.
    return make_fixed_dh_kex(name);
}

bool is_group_exchange(std::string_view name)
{
    return name.rfind("diffie-hellman-group-exchange-", 0) == 0;
}

std::string kex_hash_name(std::string_view name)
{
    for (const auto& info : kex_table) {
        if (info.name == name) {
            return info.hash;
        }
    }
    return "";
}

}  // namespace burrow::crypto
