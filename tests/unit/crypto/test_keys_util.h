// Helpers for the per-key-type tests: a temporary directory for ssh-keygen
// runs, file I/O, and SSHSIG (OpenSSH PROTOCOL.sshsig) signatures, which let
// `ssh-keygen -Y` sign with OpenSSH and check our signatures.
#pragma once

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "crypto/bytes.h"
#include "crypto/kex_method.h"
#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "crypto/rng.h"
#include "crypto/wire_util.h"
#include "tests/unit/crypto/test_util.h"

namespace burrow::crypto::test {

/// Historical name used by the per-key-type tests.
using KeyTempDir = TempDir;

inline std::string quoted(const std::filesystem::path& p)
{
    return "'" + p.string() + "'";
}

/// Whitespace-separated field `index` of `line` ("" if absent).
inline std::string field(const std::string& line, size_t index)
{
    std::istringstream in(line);
    std::string word;
    for (size_t i = 0; i <= index; ++i) {
        if (!(in >> word)) {
            return {};
        }
    }
    return word;
}

constexpr std::string_view sshsig_magic = "SSHSIG";
constexpr std::string_view sshsig_begin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view sshsig_end = "-----END SSH SIGNATURE-----";

/// PROTOCOL.sshsig: the data actually signed for `message`.
inline Bytes sshsig_signed_data(std::string_view ns, std::string_view hash_alg, ByteView message)
{
    const Bytes h = digest(hash_alg == "sha256" ? "SHA-256" : "SHA-512", message);
    Bytes out(sshsig_magic.begin(), sshsig_magic.end());
    put_string(out, ns);
    put_string(out, "");  // reserved
    put_string(out, hash_alg);
    put_string(out, ByteView{h});
    return out;
}

/// A decoded SSHSIG blob.
struct SshSig {
    Bytes public_key;
    std::string ns;
    std::string hash_alg;
    Bytes signature;  // string sig_alg, string sig
};

inline std::optional<SshSig> parse_sshsig(const std::string& armoured)
{
    const size_t b = armoured.find(sshsig_begin);
    const size_t e = armoured.find(sshsig_end);
    if (b == std::string::npos || e == std::string::npos) {
        return std::nullopt;
    }
    std::string b64;
    for (size_t i = b + sshsig_begin.size(); i < e; ++i) {
        if (armoured[i] != '\n' && armoured[i] != '\r') {
            b64.push_back(armoured[i]);
        }
    }
    const auto blob = base64_decode(b64);
    if (!blob) {
        return std::nullopt;
    }
    WireReader r(*blob);
    const auto magic = r.raw(sshsig_magic.size());
    const auto version = r.u32();
    const auto pub = r.string();
    const auto ns = r.string();
    const auto reserved = r.string();
    const auto hash = r.string();
    const auto sig = r.string();
    if (!sig || to_string(*magic) != sshsig_magic || *version != 1 || !reserved->empty() ||
        !r.empty()) {
        return std::nullopt;
    }
    return SshSig{Bytes(pub->begin(), pub->end()), to_string(*ns), to_string(*hash),
                  Bytes(sig->begin(), sig->end())};
}

inline std::string format_sshsig(const SshSig& s)
{
    Bytes blob(sshsig_magic.begin(), sshsig_magic.end());
    put_u32(blob, 1);
    put_string(blob, ByteView{s.public_key});
    put_string(blob, s.ns);
    put_string(blob, "");
    put_string(blob, s.hash_alg);
    put_string(blob, ByteView{s.signature});
    const std::string b64 = base64_encode(blob);
    std::string out(sshsig_begin);
    out.push_back('\n');
    for (size_t i = 0; i < b64.size(); i += 70) {
        out.append(b64, i, 70).push_back('\n');
    }
    out.append(sshsig_end).push_back('\n');
    return out;
}

constexpr std::string_view key_begin = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
constexpr std::string_view key_end = "\n-----END OPENSSH PRIVATE KEY-----\n";

/// The decoded openssh-key-v1 body of a private key file we wrote.
inline Bytes decoded_key_body(const std::string& text)
{
    std::string b64;
    for (size_t i = key_begin.size(); i < text.find("-----END"); ++i) {
        if (text[i] != '\n') {
            b64.push_back(text[i]);
        }
    }
    auto body = base64_decode(b64);
    REQUIRE(body);
    return *body;
}

inline std::string armour_key_body(ByteView body)
{
    return std::string(key_begin) + base64_encode(body) + std::string(key_end);
}

/// Flip each byte of `key`'s written file in turn: every change must be
/// refused, except in the comment (which may load with another comment).
inline void check_every_flip_refused(const PrivateKey& key)
{
    auto rng = make_seeded_rng(41);
    const Bytes body = decoded_key_body(write_openssh_private_key(key, "c", *rng));
    REQUIRE(parse_openssh_private_key(armour_key_body(body)).loaded);
    for (size_t i = 0; i < body.size(); ++i) {
        Bytes bad = body;
        bad[i] ^= 0x01;
        const auto r = parse_openssh_private_key(armour_key_body(bad));
        INFO("flipped byte " << i << " of " << body.size());
        if (r.loaded) {
            CHECK(r.loaded->comment != "c");
        }
    }
    for (size_t n = 0; n < body.size(); ++n) {
        INFO("truncated to " << n);
        CHECK_FALSE(parse_openssh_private_key(armour_key_body({body.data(), n})).loaded);
    }
}

}  // namespace burrow::crypto::test
