#include "server/host_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "crypto/host_key_generation.h"
#include "crypto/key_files.h"
#include "crypto/rng.h"
#include "server/log.h"
#include "server/options.h"

namespace burrow::server {

namespace {

/// sshd(8) (and ssh(1) for identities) refuses a private key file that is
/// owned by the running user and grants its group or others any access.
constexpr mode_t group_other_bits = 077;
constexpr mode_t permission_bits = 0777;
/// Host key files are a few KiB; anything far larger is not a key.
constexpr size_t max_host_key_file_size = 1 << 20;

/// The default host key names, in sshd(8)'s order.
constexpr const char* default_host_key_names[] = {"ssh_host_rsa_key", "ssh_host_ecdsa_key",
                                                  "ssh_host_ed25519_key"};

const char* describe(crypto::KeyFileError error)
{
    switch (error) {
        case crypto::KeyFileError::encrypted:
            return "passphrase-protected keys are not supported";
        case crypto::KeyFileError::unsupported_type:
            return "unsupported key type";
        default:
            return "invalid format";
    }
}

bool exists(const std::string& path)
{
    return ::access(path.c_str(), F_OK) == 0 || errno != ENOENT;
}

/// "0644" for a st_mode.
std::string octal_permissions(mode_t mode)
{
    char text[8] = {};
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & permission_bits));
    return text;
}

/// Read the private key file at `path`, refusing it if its permissions are
/// too open. nullopt (after logging why) if it cannot be used.
std::optional<std::string> read_private_key_file(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        log_error("Unable to load host key \"" + path + "\": " + std::strerror(errno));
        return std::nullopt;
    }
    struct stat st {};
    std::string text;
    bool ok = ::fstat(fd, &st) == 0;
    if (ok && st.st_uid == ::getuid() && (st.st_mode & group_other_bits) != 0) {
        log_error("Permissions " + octal_permissions(st.st_mode) + " for '" + path +
                  "' are too open.");
        log_error("Unable to load host key \"" + path +
                  "\": bad permissions (a private host key must be readable by its owner "
                  "only: chmod 600 it); the key is ignored");
        ::close(fd);
        return std::nullopt;
    }
    char buffer[4096];
    while (ok && text.size() <= max_host_key_file_size) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n >= 0;
        if (n <= 0) {
            break;
        }
        text.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    if (!ok) {
        log_error("Unable to load host key \"" + path + "\": cannot read file");
        return std::nullopt;
    }
    return text;
}

}  // namespace

std::string config_directory(std::string_view config_file)
{
    const size_t slash = config_file.rfind('/');
    if (slash == std::string_view::npos) {
        return ".";
    }
    return slash == 0 ? std::string("/") : std::string(config_file.substr(0, slash));
}

std::vector<std::string> default_host_key_paths(std::string_view config_file)
{
    // A configuration that is not a regular file (-f /dev/null) has no
    // directory of its own: use the default one rather than /dev.
    struct stat st {};
    const std::string file(config_file);
    const bool usable = ::stat(file.c_str(), &st) != 0 || S_ISREG(st.st_mode);
    std::string dir =
        config_directory(usable ? config_file : std::string_view(default_config_file));
    if (dir.back() != '/') {
        dir.push_back('/');
    }
    std::vector<std::string> paths;
    for (const char* name : default_host_key_names) {
        paths.push_back(dir + name);
    }
    return paths;
}

size_t create_first_start_host_keys(const std::vector<std::string>& default_paths)
{
    if (default_paths.empty()) {
        return 0;
    }
    for (const std::string& path : default_paths) {
        if (exists(path)) {
            return 0;
        }
    }
    const std::string dir = config_directory(default_paths.front());
    log_info("no host keys in " + dir + ": creating them (first start)");
    const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
    size_t made = 0;
    for (const crypto::CreatedHostKey& key : crypto::create_missing_host_keys(
             dir, crypto::first_start_host_key_kinds(), crypto::default_key_comment(), *rng)) {
        if (!key.error.empty()) {
            log_error("Could not create host key: " + key.error);
            continue;
        }
        log_info("created " + key.label + " host key " + key.path + ": " + key.fingerprint);
        ++made;
    }
    return made;
}

std::vector<std::unique_ptr<crypto::PrivateKey>> load_host_keys(
    const std::vector<std::string>& paths, bool default_keys)
{
    if (default_keys) {
        create_first_start_host_keys(paths);
    }
    std::vector<std::unique_ptr<crypto::PrivateKey>> keys;
    for (const std::string& path : paths) {
        if (default_keys && !exists(path)) {
            log_debug("no host key " + path);
            continue;
        }
        const std::optional<std::string> text = read_private_key_file(path);
        if (!text) {
            continue;
        }
        crypto::KeyFileResult result = crypto::parse_openssh_private_key(*text);
        if (!result.loaded || !result.loaded->key) {
            log_error("Unable to load host key \"" + path + "\": " + describe(result.error));
            continue;
        }
        log_debug("loaded host key " + path + ": " + std::string(result.loaded->key->key_type()) +
                  " " + std::to_string(result.loaded->key->public_key().bits()));
        keys.push_back(std::move(result.loaded->key));
    }
    return keys;
}

}  // namespace burrow::server
