// openssh-key-v1 private keys (OpenSSH PROTOCOL.key) and one-line public keys.
#include "crypto/key_files.h"

#include <botan/base64.h>
#include <botan/exceptn.h>
#include <botan/hash.h>
#include <botan/mem_ops.h>
#include <botan/secmem.h>

#include <algorithm>

#include "crypto/key_file_cipher.h"
#include "crypto/key_impl.h"
#include "crypto/wire_util.h"

namespace burrow::crypto {
namespace {

constexpr std::string_view pem_begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view pem_end = "-----END OPENSSH PRIVATE KEY-----";
// PROTOCOL.key: the magic includes its terminating NUL.
constexpr std::string_view auth_magic{"openssh-key-v1\0", 15};
// Unencrypted keys pad the private section to 8 bytes (cipher "none").
constexpr size_t none_block_size = 8;
// ssh-keygen's bcrypt salt length.
constexpr size_t salt_size = 16;
// ssh-keygen wraps the base64 body at 70 columns.
constexpr size_t pem_line_width = 70;

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// The decoded body between the PEM armour lines; nullopt if absent/invalid.
std::optional<Botan::secure_vector<uint8_t>> unarmour(std::string_view text)
{
    const size_t begin = text.find(pem_begin);
    if (begin == std::string_view::npos) {
        return std::nullopt;
    }
    const size_t body = begin + pem_begin.size();
    const size_t end = text.find(pem_end, body);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    try {
        // Line breaks inside the armour are ignored; anything else non-base64 throws.
        return Botan::base64_decode(text.data() + body, end - body, true);
    } catch (const Botan::Exception&) {
        return std::nullopt;
    }
}

/// PROTOCOL.key: padding bytes are 1, 2, 3, ... up to the block size.
bool padding_valid(ByteView padding, size_t section_size, size_t block_size)
{
    if (section_size % block_size != 0 || padding.size() >= block_size) {
        return false;
    }
    for (size_t i = 0; i < padding.size(); ++i) {
        if (padding[i] != static_cast<uint8_t>(i + 1)) {
            return false;
        }
    }
    return true;
}

/// The key-type-specific private fields (PROTOCOL.key); nullptr if malformed.
std::unique_ptr<PrivateKey> read_private_fields(std::string_view type, WireReader& r)
{
    if (type == ed25519_name) {
        return read_ed25519_private_fields(r);
    }
    if (is_ecdsa_key_type(type)) {
        return read_ecdsa_private_fields(type, r);
    }
    return read_rsa_private_fields(r);
}

bool is_supported_key_type(std::string_view type)
{
    return type == ed25519_name || type == rsa_name || is_ecdsa_key_type(type);
}

/// Parse the (decrypted) private section: check ints, one key, comment, padding.
/// For an encrypted file, differing check ints mean a wrong passphrase.
KeyFileResult parse_private_section(ByteView section, ByteView outer_public_blob, size_t block_size,
                                    bool encrypted)
{
    KeyFileResult result;
    WireReader r(section);
    const auto check1 = r.u32();
    const auto check2 = r.u32();
    if (check1 && check2 && *check1 != *check2 && encrypted) {
        result.error = KeyFileError::bad_passphrase;
        return result;
    }
    const auto type = r.string();
    if (!check1 || !check2 || *check1 != *check2 || !type) {
        return result;
    }
    const std::string type_name = to_string(*type);
    if (!is_supported_key_type(type_name)) {
        result.error = KeyFileError::unsupported_type;
        return result;
    }
    const WireReader fields = r;
    auto key = read_private_fields(type_name, r);
    if (!key && type_name == rsa_name && rsa_private_fields_too_small(fields)) {
        result.error = KeyFileError::unsupported_type;
        return result;
    }
    const auto comment = key ? r.string() : std::nullopt;
    if (!comment || !padding_valid(r.rest(), section.size(), block_size)) {
        return result;
    }
    // The private key must be the one the unencrypted public blob announces.
    const Bytes& blob = key->public_key().blob();
    if (!std::equal(blob.begin(), blob.end(), outer_public_blob.begin(), outer_public_blob.end())) {
        return result;
    }
    result.loaded = LoadedPrivateKey{std::move(key), to_string(*comment)};
    return result;
}

/// The fields of an openssh-key-v1 file (views into the decoded body).
struct KeyFileFields {
    std::string cipher;
    std::string kdf;
    ByteView kdf_options;
    ByteView public_blob;
    ByteView section;
    /// The AEAD tag following the private section (PROTOCOL.key), if any.
    ByteView tag;
};

/// Split the decoded body; nullopt if malformed. PROTOCOL.key allows N keys;
/// ssh-keygen only ever writes one, and so do we accept one.
std::optional<KeyFileFields> read_fields(ByteView body)
{
    WireReader r(body);
    const auto magic = r.raw(auth_magic.size());
    if (!magic || to_string(*magic) != auth_magic) {
        return std::nullopt;
    }
    const auto cipher = r.string();
    const auto kdf = r.string();
    const auto kdf_options = r.string();
    const auto count = r.u32();
    const auto public_blob = count && *count == 1 ? r.string() : std::nullopt;
    const auto section = public_blob ? r.string() : std::nullopt;
    if (!cipher || !kdf || !kdf_options || !section) {
        return std::nullopt;
    }
    KeyFileFields fields{to_string(*cipher), to_string(*kdf), *kdf_options,
                         *public_blob,       *section,        r.rest()};
    return fields;
}

/// Decrypt and parse an encrypted file's private section.
KeyFileResult parse_encrypted(const KeyFileFields& f, std::string_view passphrase)
{
    KeyFileResult result;
    const KeyFileCipher* cipher = find_key_file_cipher(f.cipher);
    if (cipher == nullptr || f.kdf != "bcrypt") {
        result.error = KeyFileError::unsupported_type;
        return result;
    }
    // PROTOCOL.key: bcrypt kdfoptions are string salt, uint32 rounds.
    WireReader opts(f.kdf_options);
    const auto salt = opts.string();
    const auto rounds = opts.u32();
    if (!salt || !rounds || !opts.empty() || f.tag.size() != cipher->tag_len ||
        f.section.size() % cipher->block_size != 0) {
        return result;
    }
    const SecureBytes secret_passphrase(passphrase.begin(), passphrase.end());
    const auto key_iv = derive_key_file_secret(*cipher, secret_passphrase, *salt, *rounds);
    if (!key_iv) {
        result.error = KeyFileError::bad_passphrase;
        return result;
    }
    // The tag directly follows the section in the body, so one view covers both.
    const ByteView sealed{f.section.data(), f.section.size() + f.tag.size()};
    const auto plain = decrypt_key_section(*cipher, *key_iv, sealed);
    if (!plain) {
        result.error = KeyFileError::bad_passphrase;
        return result;
    }
    return parse_private_section({plain->data(), plain->size()}, f.public_blob, cipher->block_size,
                                 true);
}

/// The private section in clear: check ints, key, comment, padding.
SecureBytes private_section(const PrivateKey& key, std::string_view comment, Rng& rng,
                            size_t block_size)
{
    SecureBytes section;
    uint8_t check[4];
    rng.fill({check, sizeof check});
    const uint32_t checkint = load_u32(check);
    put_u32(section, checkint);
    put_u32(section, checkint);
    put_string(section, key.key_type());
    Bytes fields;
    key.write_private_fields(fields);
    section.insert(section.end(), fields.begin(), fields.end());
    Botan::secure_scrub_memory(fields.data(), fields.size());
    put_string(section, comment);
    for (uint8_t pad = 1; section.size() % block_size != 0; ++pad) {
        section.push_back(pad);
    }
    return section;
}

std::string armour(const Bytes& file)
{
    const std::string b64 = Botan::base64_encode(file.data(), file.size());
    std::string out;
    out.reserve(b64.size() + b64.size() / pem_line_width + pem_begin.size() + pem_end.size() + 4);
    out.append(pem_begin).push_back('\n');
    for (size_t i = 0; i < b64.size(); i += pem_line_width) {
        out.append(b64, i, pem_line_width).push_back('\n');
    }
    out.append(pem_end).push_back('\n');
    return out;
}

}  // namespace

KeyFileResult parse_openssh_private_key(std::string_view text)
{
    return parse_openssh_private_key(text, std::nullopt);
}

KeyFileResult parse_openssh_private_key(std::string_view text,
                                        std::optional<std::string_view> passphrase)
{
    KeyFileResult result;
    const auto decoded = unarmour(text);
    const auto f = decoded ? read_fields({decoded->data(), decoded->size()}) : std::nullopt;
    if (!f) {
        return result;
    }
    if (f->cipher == "none" && f->kdf == "none") {
        if (!f->kdf_options.empty() || !f->tag.empty()) {
            return result;
        }
        return parse_private_section(f->section, f->public_blob, none_block_size, false);
    }
    if (!passphrase) {
        result.error = KeyFileError::encrypted;
        return result;
    }
    return parse_encrypted(*f, *passphrase);
}

bool is_encrypted_openssh_private_key(std::string_view text)
{
    const auto decoded = unarmour(text);
    const auto f = decoded ? read_fields({decoded->data(), decoded->size()}) : std::nullopt;
    return f && (f->cipher != "none" || f->kdf != "none");
}

std::unique_ptr<PublicKey> public_key_of_private_file(std::string_view text)
{
    const auto decoded = unarmour(text);
    const auto f = decoded ? read_fields({decoded->data(), decoded->size()}) : std::nullopt;
    return f ? parse_public_key_blob(f->public_blob) : nullptr;
}

std::string write_openssh_private_key(const PrivateKey& key, std::string_view comment, Rng& rng)
{
    return write_openssh_private_key(key, comment, rng, KeyFileEncryption{});
}

std::string write_openssh_private_key(const PrivateKey& key, std::string_view comment, Rng& rng,
                                      const KeyFileEncryption& encryption)
{
    const bool encrypt = !encryption.passphrase.empty();
    const KeyFileCipher* cipher = encrypt ? find_key_file_cipher(encryption.cipher) : nullptr;
    if (encrypt && (cipher == nullptr || encryption.rounds == 0)) {
        return {};
    }
    Bytes file(auth_magic.begin(), auth_magic.end());
    const SecureBytes section =
        private_section(key, comment, rng, encrypt ? cipher->block_size : none_block_size);
    if (!encrypt) {
        put_string(file, "none");  // cipher
        put_string(file, "none");  // kdf
        put_string(file, "");      // kdf options
        put_u32(file, 1);          // number of keys
        put_string(file, ByteView{key.public_key().blob()});
        put_string(file, ByteView{section.data(), section.size()});
        const std::string out = armour(file);
        Botan::secure_scrub_memory(file.data(), file.size());
        return out;
    }
    Bytes salt(salt_size);
    rng.fill(salt);
    Bytes kdf_options;
    put_string(kdf_options, ByteView{salt});
    put_u32(kdf_options, encryption.rounds);
    const SecureBytes passphrase(encryption.passphrase.begin(), encryption.passphrase.end());
    const auto key_iv = derive_key_file_secret(*cipher, passphrase, salt, encryption.rounds);
    if (!key_iv) {
        return {};
    }
    const Bytes sealed = encrypt_key_section(*cipher, *key_iv, section);
    put_string(file, cipher->name);
    put_string(file, "bcrypt");
    put_string(file, ByteView{kdf_options});
    put_u32(file, 1);
    put_string(file, ByteView{key.public_key().blob()});
    // PROTOCOL.key: the string holds the ciphertext; an AEAD tag follows it.
    put_string(file, ByteView{sealed.data(), section.size()});
    file.insert(file.end(), sealed.begin() + static_cast<std::ptrdiff_t>(section.size()),
                sealed.end());
    return armour(file);
}

std::string fingerprint_md5(ByteView blob)
{
    static constexpr char digits[] = "0123456789abcdef";
    const auto md5 = Botan::HashFunction::create_or_throw("MD5");
    const auto digest = md5->process(blob.data(), blob.size());
    std::string out = "MD5";
    for (const uint8_t b : digest) {
        out.push_back(':');
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

std::optional<PublicKeyLine> parse_public_key_line(std::string_view line)
{
    line = trim(line);
    const size_t type_end = line.find_first_of(" \t");
    if (type_end == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view type = line.substr(0, type_end);
    std::string_view rest = trim(line.substr(type_end));
    const size_t b64_end = rest.find_first_of(" \t");
    const std::string_view b64 = rest.substr(0, b64_end);
    const std::string_view comment =
        b64_end == std::string_view::npos ? std::string_view{} : trim(rest.substr(b64_end));

    const auto blob = base64_decode(b64);
    if (!blob) {
        return std::nullopt;
    }
    auto key = parse_public_key_blob(*blob);
    if (!key || key->key_type() != type) {
        return std::nullopt;
    }
    return PublicKeyLine{std::move(key), std::string(comment)};
}

std::string format_public_key_line(const PublicKey& key, std::string_view comment)
{
    std::string out(key.key_type());
    out.push_back(' ');
    out += base64_encode(key.blob());
    if (!comment.empty()) {
        out.push_back(' ');
        out.append(comment);
    }
    return out;
}

}  // namespace burrow::crypto
