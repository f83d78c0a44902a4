#include "client/identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "client/host_verifier.h"
#include "crypto/key_files.h"

namespace burrow::client {

namespace {

/// Longest private key file read (ed25519 files are ~400 bytes, RSA ~3 KiB).
constexpr size_t max_key_file_size = 64 * 1024;

/// Read a key file, refusing group/world-accessible files of ours.
std::optional<std::string> read_key_file(const std::string& path, const Logger& log)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT) {
            log.debug1("cannot read identity " + path + ": " + std::strerror(errno));
        }
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_uid == ::getuid() && (st.st_mode & 077) != 0) {
        // A private key others can read is no longer private (ssh(1) refuses it too).
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        log.error("Permissions " + std::string(mode) + " on private key " + path +
                  " are too open: others may read it. It is ignored (chmod 600 fixes this).");
        ::close(fd);
        return std::nullopt;
    }
    std::string text;
    char buffer[4096];
    while (text.size() <= max_key_file_size) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        text.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    if (text.size() > max_key_file_size) {
        log.debug1("identity " + path + " is too large to be a key");
        return std::nullopt;
    }
    return text;
}

/// ssh(1) asks for a passphrase this many times before giving up on a key.
constexpr int passphrase_attempts = 3;

/// An encrypted key file whose passphrase is asked for at the first signature.
class PassphraseProtectedKey final : public crypto::PrivateKey {
public:
    PassphraseProtectedKey(std::string path, std::string text,
                           std::unique_ptr<crypto::PublicKey> public_key, PromptPolicy policy,
                           Logger log)
        : m_path(std::move(path)),
          m_text(std::move(text)),
          m_public(std::move(public_key)),
          m_policy(policy),
          m_log(log)
    {
    }
    ~PassphraseProtectedKey() override { wipe(m_text); }
    PassphraseProtectedKey(const PassphraseProtectedKey&) = delete;
    PassphraseProtectedKey& operator=(const PassphraseProtectedKey&) = delete;

    std::string_view key_type() const override { return m_public->key_type(); }
    const crypto::PublicKey& public_key() const override { return *m_public; }

    Bytes sign(std::string_view sig_alg, ByteView data, crypto::Rng& rng) const override
    {
        const crypto::PrivateKey* key = unlocked();
        return key != nullptr ? key->sign(sig_alg, data, rng) : Bytes{};
    }

    void write_private_fields(Bytes& out) const override
    {
        if (const crypto::PrivateKey* key = unlocked()) {
            key->write_private_fields(out);
        }
    }

private:
    /// The decrypted key, asking for the passphrase on first use.
    const crypto::PrivateKey* unlocked() const
    {
        if (m_key || m_gave_up) {
            return m_key.get();
        }
        m_gave_up = true;
        const std::string prompt = "Enter passphrase for key '" + m_path + "': ";
        for (int attempt = 0; attempt < passphrase_attempts; ++attempt) {
            std::optional<std::string> passphrase = read_secret(prompt, m_policy);
            if (!passphrase || passphrase->empty()) {
                break;
            }
            crypto::KeyFileResult parsed = crypto::parse_private_key_file(m_text, *passphrase);
            wipe(*passphrase);
            if (parsed.loaded && parsed.loaded->key->public_key().blob() == m_public->blob()) {
                m_key = std::move(parsed.loaded->key);
                m_gave_up = false;
                return m_key.get();
            }
            if (parsed.error != crypto::KeyFileError::bad_passphrase) {
                m_log.error("Load key \"" + m_path + "\": invalid format");
                break;
            }
            m_log.error("Bad passphrase, try again for " + m_path);
        }
        return nullptr;
    }

    const std::string m_path;
    std::string m_text;
    const std::unique_ptr<crypto::PublicKey> m_public;
    const PromptPolicy m_policy;
    const Logger m_log;
    // Decryption is deferred until sign(), which is const in the interface.
    mutable std::unique_ptr<crypto::PrivateKey> m_key;
    mutable bool m_gave_up = false;
};

}  // namespace

std::unique_ptr<crypto::PrivateKey> passphrase_protected_key(const std::string& path,
                                                             const std::string& text,
                                                             const PromptPolicy& policy,
                                                             const Logger& log)
{
    auto public_key = crypto::public_key_of_private_file(text);
    if (!public_key) {
        // PEM files carry no clear public key; ssh(1) reads it from PATH.pub.
        std::ifstream in(path + ".pub");
        std::string line;
        if (std::getline(in, line)) {
            if (auto pub = crypto::parse_public_key_line(line)) {
                public_key = std::move(pub->key);
            }
        }
    }
    if (!public_key) {
        return nullptr;
    }
    return std::make_unique<PassphraseProtectedKey>(path, text, std::move(public_key), policy, log);
}

std::string describe_key(const crypto::PublicKey& key)
{
    return key_type_display_name(key.key_type()) + " " + crypto::fingerprint_sha256(key.blob());
}

std::vector<Identity> load_identities(const std::vector<std::string>& files, const Logger& log)
{
    return load_identities(files, log, PromptPolicy{});
}

std::vector<Identity> load_identities(const std::vector<std::string>& files, const Logger& log,
                                      const PromptPolicy& policy)
{
    std::vector<Identity> identities;
    for (const std::string& path : files) {
        const auto text = read_key_file(path, log);
        if (!text) {
            continue;
        }
        crypto::KeyFileResult parsed = crypto::parse_private_key_file(*text, std::nullopt);
        if (!parsed.loaded && parsed.error == crypto::KeyFileError::encrypted) {
            if (auto key = passphrase_protected_key(path, *text, policy, log)) {
                parsed.loaded = crypto::LoadedPrivateKey{std::move(key), {}};
            }
        }
        if (!parsed.loaded) {
            switch (parsed.error) {
                case crypto::KeyFileError::encrypted:
                case crypto::KeyFileError::bad_passphrase:
                    log.debug1(path + ": encrypted key without a readable public key");
                    break;
                case crypto::KeyFileError::unsupported_type:
                    log.debug1(path + ": key type not supported");
                    break;
                case crypto::KeyFileError::malformed:
                    log.debug1(path + ": not an unencrypted OpenSSH private key");
                    break;
            }
            continue;
        }
        Identity identity;
        identity.path = path;
        identity.comment = std::move(parsed.loaded->comment);
        identity.key = std::move(parsed.loaded->key);
        log.debug1("Will attempt key: " + path + " " + describe_key(identity.key->public_key()));
        identities.push_back(std::move(identity));
    }
    return identities;
}

}  // namespace burrow::client
