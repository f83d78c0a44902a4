#include "client/identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
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

}  // namespace

std::string describe_key(const crypto::PublicKey& key)
{
    return key_type_display_name(key.key_type()) + " " + crypto::fingerprint_sha256(key.blob());
}

std::vector<Identity> load_identities(const std::vector<std::string>& files, const Logger& log)
{
    std::vector<Identity> identities;
    for (const std::string& path : files) {
        const auto text = read_key_file(path, log);
        if (!text) {
            continue;
        }
        crypto::KeyFileResult parsed = crypto::parse_openssh_private_key(*text);
        if (!parsed.loaded) {
            switch (parsed.error) {
                case crypto::KeyFileError::encrypted:
                case crypto::KeyFileError::bad_passphrase:
                    log.debug1(path + ": passphrase-protected keys are not supported yet");
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
