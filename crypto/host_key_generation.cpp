#include "crypto/host_key_generation.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "crypto/key_files.h"
#include "crypto/keys.h"

namespace burrow::crypto {

namespace {

/// ssh-keygen(1): RSA keys default to 3072 bits, ECDSA to the 256-bit curve.
constexpr size_t rsa_host_key_bits = 3072;
constexpr size_t ecdsa_host_key_bits = 256;
constexpr size_t ed25519_bits = 256;

/// sshd(8) ignores private host keys that others may read (see
/// server/host_keys.cpp), so they are written 0600; the public half is
/// meant to be shared.
constexpr mode_t private_key_mode = 0600;
constexpr mode_t public_key_mode = 0644;

const HostKeyKind rsa_kind{"rsa", "ssh-rsa", rsa_host_key_bits, "RSA"};
const HostKeyKind ecdsa_kind{"ecdsa", "ecdsa-sha2-nistp256", ecdsa_host_key_bits, "ECDSA"};
const HostKeyKind ed25519_kind{"ed25519", "ssh-ed25519", ed25519_bits, "ED25519"};

/// Closes a descriptor when it goes out of scope.
class FdCloser final {
public:
    explicit FdCloser(int fd) : m_fd(fd) {}
    ~FdCloser()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

/// Write `text` to a fresh temporary file beside `path` with `mode`; returns
/// its name, or "" with errno set.
std::string write_temporary(const std::string& path, const std::string& text, mode_t mode)
{
    std::string name = path + ".XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        return {};
    }
    FdCloser closer(fd);
    const char* data = text.data();
    size_t left = text.size();
    bool ok = ::fchmod(fd, mode) == 0;
    while (ok && left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        data += ok ? n : 0;
        left -= ok ? static_cast<size_t>(n) : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(closer.release()) == 0 && ok;
    if (!ok) {
        const int saved = errno;
        ::unlink(name.c_str());
        errno = saved;
        return {};
    }
    return name;
}

CreatedHostKey create_one(const std::string& path, const HostKeyKind& kind,
                          std::string_view comment, Rng& rng)
{
    CreatedHostKey created{path, std::string(kind.label), {}, {}};
    const std::unique_ptr<PrivateKey> key = generate_key(kind.key_type, kind.bits, rng);
    if (!key) {
        created.error = "cannot generate a " + std::string(kind.key_type) + " key";
        return created;
    }
    const std::string private_text = write_openssh_private_key(*key, comment, rng);
    const std::string public_text = format_public_key_line(key->public_key(), comment) + "\n";
    const std::string private_tmp = write_temporary(path, private_text, private_key_mode);
    const std::string public_tmp =
        private_tmp.empty() ? std::string{}
                            : write_temporary(path + ".pub", public_text, public_key_mode);
    // link(2), unlike rename(2), fails if the private key appeared meanwhile
    // (two first starts at once): a key is never replaced, and only the
    // process whose private key went in puts its .pub beside it.
    const bool ok = !public_tmp.empty() && ::link(private_tmp.c_str(), path.c_str()) == 0 &&
                    ::rename(public_tmp.c_str(), (path + ".pub").c_str()) == 0;
    const int saved = errno;
    for (const std::string& tmp : {private_tmp, public_tmp}) {
        if (!tmp.empty()) {
            ::unlink(tmp.c_str());  // the linked private key stays under its name
        }
    }
    if (!ok) {
        created.error = std::string("cannot write ") + path + ": " + std::strerror(saved);
        return created;
    }
    created.fingerprint = fingerprint_sha256(key->public_key().blob());
    return created;
}

}  // namespace

const std::vector<HostKeyKind>& all_host_key_kinds()
{
    static const std::vector<HostKeyKind> kinds{rsa_kind, ecdsa_kind, ed25519_kind};
    return kinds;
}

const std::vector<HostKeyKind>& first_start_host_key_kinds()
{
    static const std::vector<HostKeyKind> kinds{ed25519_kind, rsa_kind};
    return kinds;
}

std::string host_key_path(std::string_view dir, const HostKeyKind& kind)
{
    std::string path(dir);
    if (path.empty() || path.back() != '/') {
        path.push_back('/');
    }
    return path + "ssh_host_" + std::string(kind.short_name) + "_key";
}

std::vector<CreatedHostKey> create_missing_host_keys(std::string_view dir,
                                                     const std::vector<HostKeyKind>& kinds,
                                                     std::string_view comment, Rng& rng)
{
    std::vector<CreatedHostKey> created;
    for (const HostKeyKind& kind : kinds) {
        const std::string path = host_key_path(dir, kind);
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0) {
            continue;  // present (even if broken): never overwritten
        }
        created.push_back(create_one(path, kind, comment, rng));
    }
    return created;
}

std::string default_key_comment()
{
    const passwd* pw = ::getpwuid(::getuid());
    char host[HOST_NAME_MAX + 1] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(pw != nullptr ? pw->pw_name : "root") + "@" + host;
}

}  // namespace burrow::crypto
