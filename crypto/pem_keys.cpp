// Private keys in the PEM forms OpenSSH also accepts: PKCS#1 "RSA PRIVATE
// KEY", SEC1 "EC PRIVATE KEY" (RFC 5915) and PKCS#8 "PRIVATE KEY" /
// "ENCRYPTED PRIVATE KEY" (RFC 5958), the first two also with OpenSSL's legacy
// encryption (crypto/pem_legacy.cpp). Botan decodes them; the key material
// is then handed to the openssh-key-v1 field readers so every key, whatever
// its file format, goes through the same checks.
#include <botan/ber_dec.h>
#include <botan/data_src.h>
#include <botan/der_enc.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/exceptn.h>
#include <botan/pem.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>

#include "crypto/key_files.h"
#include "crypto/key_impl.h"
#include "crypto/mpint.h"
#include "crypto/pem_legacy.h"

namespace burrow::crypto {
namespace {

using SecureBytes = Botan::secure_vector<uint8_t>;

/// The label of the first "-----BEGIN label-----" line, or "".
std::string pem_label(std::string_view text)
{
    constexpr std::string_view begin = "-----BEGIN ";
    const size_t at = text.find(begin);
    if (at == std::string_view::npos) {
        return {};
    }
    const size_t start = at + begin.size();
    const size_t end = text.find("-----", start);
    return end == std::string_view::npos ? std::string{}
                                         : std::string(text.substr(start, end - start));
}

/// The openssh-key-v1 private fields of a Botan key, read back by our own parsers.
std::unique_ptr<PrivateKey> from_botan(const Botan::Private_Key& key)
{
    SecureBytes fields;
    if (const auto* rsa = dynamic_cast<const Botan::RSA_PrivateKey*>(&key)) {
        // PROTOCOL.key: n, e, d, iqmp (q^-1 mod p), p, q.
        put_mpint(fields, rsa->get_n());
        put_mpint(fields, rsa->get_e());
        put_mpint(fields, rsa->get_d());
        put_mpint(fields, rsa->get_c());
        put_mpint(fields, rsa->get_p());
        put_mpint(fields, rsa->get_q());
    } else if (const auto* ec = dynamic_cast<const Botan::ECDSA_PrivateKey*>(&key)) {
        // RFC 5656 §6.1: the curve identifier, Q as a SEC1 point, then d.
        const std::string curve = ec->domain().get_curve_oid().to_formatted_string();
        const std::string ident = curve == "secp256r1"   ? "nistp256"
                                  : curve == "secp384r1" ? "nistp384"
                                  : curve == "secp521r1" ? "nistp521"
                                                         : "";
        if (ident.empty()) {
            return nullptr;
        }
        const std::string full = "ecdsa-sha2-" + ident;
        put_string(fields, ident);
        const std::vector<uint8_t> q = ec->public_point().encode(Botan::PointGFp::UNCOMPRESSED);
        put_string(fields, ByteView{q.data(), q.size()});
        put_mpint(fields, ec->private_value());
        WireReader r({fields.data(), fields.size()});
        auto out = read_ecdsa_private_fields(full, r);
        return out && r.empty() ? std::move(out) : nullptr;
    } else if (const auto* ed = dynamic_cast<const Botan::Ed25519_PrivateKey*>(&key)) {
        const SecureBytes& sk = ed->get_private_key();  // seed || public
        return sk.size() == 64 ? make_ed25519_private_key({sk.data(), 32}) : nullptr;
    } else {
        return nullptr;
    }
    WireReader r({fields.data(), fields.size()});
    auto out = read_rsa_private_fields(r);
    return out && r.empty() ? std::move(out) : nullptr;
}

/// SEC1 ECPrivateKey (RFC 5915 §3): the curve is in the [0] parameters.
std::unique_ptr<Botan::Private_Key> load_sec1(const SecureBytes& der)
{
    Botan::OID curve;
    Botan::BigInt ignored;
    Botan::BER_Decoder(der)
        .start_cons(Botan::SEQUENCE)
        .decode_and_check<size_t>(1, "SEC1 version")
        .decode_octet_string_bigint(ignored)
        .decode_optional(curve, Botan::ASN1_Tag(0), Botan::PRIVATE)
        .discard_remaining()
        .end_cons();
    if (curve.empty()) {
        return nullptr;
    }
    std::vector<uint8_t> params;
    Botan::DER_Encoder(params).encode(curve);
    const Botan::AlgorithmIdentifier alg(Botan::OID::from_string("ECDSA"), params);
    return std::make_unique<Botan::ECDSA_PrivateKey>(alg, der);
}

std::unique_ptr<Botan::Private_Key> load_botan_key(std::string_view text, const std::string& label,
                                                   std::optional<std::string_view> passphrase)
{
    Botan::DataSource_Memory source(std::string{text});
    if (label == "PRIVATE KEY") {
        return Botan::PKCS8::load_key(source);
    }
    if (label == "ENCRYPTED PRIVATE KEY") {
        return Botan::PKCS8::load_key(source, std::string(*passphrase));
    }
    const SecureBytes der = Botan::PEM_Code::decode_check_label(source, label);
    if (label == "RSA PRIVATE KEY") {
        return std::make_unique<Botan::RSA_PrivateKey>(Botan::AlgorithmIdentifier(), der);
    }
    return load_sec1(der);
}

/// The private key of a PKCS#1 or SEC1 DER body, as a key of ours; nullptr if it is not one.
std::unique_ptr<PrivateKey> from_der(const std::string& label, const SecureBytes& der)
{
    try {
        if (label == "RSA PRIVATE KEY") {
            return from_botan(Botan::RSA_PrivateKey(Botan::AlgorithmIdentifier(), der));
        }
        if (label == "EC PRIVATE KEY") {
            const std::unique_ptr<Botan::Private_Key> key = load_sec1(der);
            return key ? from_botan(*key) : nullptr;
        }
    } catch (const Botan::Exception&) {
        // Undecodable: with legacy encryption, mostly a wrong passphrase.
    }
    return nullptr;
}

KeyFileResult parse_legacy_encrypted(const std::string& label, std::string_view text,
                                     std::optional<std::string_view> passphrase)
{
    KeyFileResult result;
    if (label != "RSA PRIVATE KEY" && label != "EC PRIVATE KEY") {
        result.error = KeyFileError::unsupported_type;
        return result;
    }
    if (!passphrase) {
        result.error = KeyFileError::encrypted;
        return result;
    }
    const std::optional<SecureBytes> der = decrypt_legacy_pem(text, *passphrase);
    std::unique_ptr<PrivateKey> key = der ? from_der(label, *der) : nullptr;
    if (!key) {
        // A wrong passphrase gives bad padding or undecodable DER.
        result.error = KeyFileError::bad_passphrase;
        return result;
    }
    result.loaded = LoadedPrivateKey{std::move(key), {}};
    return result;
}

}  // namespace

KeyFileResult parse_pem_private_key(std::string_view text,
                                    std::optional<std::string_view> passphrase)
{
    KeyFileResult result;
    const std::string label = pem_label(text);
    if (label != "PRIVATE KEY" && label != "ENCRYPTED PRIVATE KEY" && label != "RSA PRIVATE KEY" &&
        label != "EC PRIVATE KEY") {
        return result;
    }
    // RFC 1421 encapsulated headers mark the legacy OpenSSL encryption
    // (ssh-keygen -m PEM -N ...) of PKCS#1 and SEC1 keys.
    if (is_legacy_encrypted_pem(text)) {
        return parse_legacy_encrypted(label, text, passphrase);
    }
    if (label == "ENCRYPTED PRIVATE KEY" && !passphrase) {
        result.error = KeyFileError::encrypted;
        return result;
    }
    std::unique_ptr<Botan::Private_Key> botan_key;
    try {
        botan_key = load_botan_key(text, label, passphrase);
    } catch (const Botan::Exception&) {
        // A wrong passphrase shows up as undecodable plaintext.
        result.error = label == "ENCRYPTED PRIVATE KEY" ? KeyFileError::bad_passphrase
                                                        : KeyFileError::malformed;
        return result;
    }
    if (!botan_key) {
        return result;
    }
    auto key = from_botan(*botan_key);
    if (!key) {
        result.error = KeyFileError::unsupported_type;
        return result;
    }
    result.loaded = LoadedPrivateKey{std::move(key), {}};
    return result;
}

KeyFileResult parse_private_key_file(std::string_view text,
                                     std::optional<std::string_view> passphrase)
{
    if (text.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string_view::npos) {
        return parse_openssh_private_key(text, passphrase);
    }
    return parse_pem_private_key(text, passphrase);
}

}  // namespace burrow::crypto
