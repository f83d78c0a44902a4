// User identities (private keys) for publickey authentication, loaded from
// -i / IdentityFile paths or ssh's default file names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/log.h"
#include "client/prompt.h"
#include "crypto/keys.h"

namespace burrow::client {

/// One usable private key.
struct Identity {
    std::string path;
    std::string comment;
    std::unique_ptr<crypto::PrivateKey> key;
};

/// Load every usable key among `files`, in order. Missing files are skipped
/// silently; unreadable or unsupported ones are reported at -v; files readable
/// by others are refused loudly, as ssh(1) does. A passphrase-protected
/// openssh-key-v1 file yields its public key at once (PROTOCOL.key keeps it in
/// the clear) and a key that asks for the passphrase only when it first has to
/// sign, i.e. after the server accepted the key (see passphrase_protected_key).
std::vector<Identity> load_identities(const std::vector<std::string>& files, const Logger& log,
                                      const PromptPolicy& policy);

/// The same with the default (interactive) prompt policy.
std::vector<Identity> load_identities(const std::vector<std::string>& files, const Logger& log);

/// A private key for the encrypted openssh-key-v1 `text` read from `path`.
/// key_type() and public_key() work without the passphrase; the first sign()
/// asks "Enter passphrase for key 'PATH': " through read_secret() up to three
/// times (an empty answer or a cancelled prompt stops asking) and keeps the
/// decrypted key for later signatures. If no passphrase works, sign() returns
/// an empty blob (the server then refuses the attempt) and never asks again.
/// nullptr if `text` has no readable public key.
std::unique_ptr<crypto::PrivateKey> passphrase_protected_key(const std::string& path,
                                                             const std::string& text,
                                                             const PromptPolicy& policy,
                                                             const Logger& log);

/// "ED25519 SHA256:..." for log lines.
std::string describe_key(const crypto::PublicKey& key);

}  // namespace burrow::client
