#include "server/user.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace burrow::server {

namespace {

std::optional<UserInfo> from_passwd(const passwd& pw)
{
    UserInfo u;
    u.name = pw.pw_name;
    u.uid = pw.pw_uid;
    u.gid = pw.pw_gid;
    u.home = pw.pw_dir != nullptr ? pw.pw_dir : "/";
    u.shell = (pw.pw_shell != nullptr && pw.pw_shell[0] != '\0') ? pw.pw_shell : "/bin/sh";
    return u;
}

/// Temporarily switch effective ids to the user's (only when we are root).
class EffectiveIds final {
public:
    explicit EffectiveIds(const UserInfo& user)
    {
        if (geteuid() != 0 || user.uid == 0) {
            m_ok = true;  // already the right identity (or unable to change it)
            return;
        }
        // Drop root's supplementary groups too, or group-readable files
        // would still be readable through them.
        const int count = getgroups(0, nullptr);
        m_saved_groups.resize(count > 0 ? static_cast<size_t>(count) : 0);
        if (count > 0 && getgroups(count, m_saved_groups.data()) < 0) {
            return;
        }
        if (setgroups(1, &user.gid) != 0) {
            return;
        }
        if (setegid(user.gid) != 0 || seteuid(user.uid) != 0) {
            restore();
            return;
        }
        m_switched = true;
        m_ok = true;
    }
    ~EffectiveIds()
    {
        if (m_switched) {
            restore();
        }
    }
    EffectiveIds(const EffectiveIds&) = delete;
    EffectiveIds& operator=(const EffectiveIds&) = delete;
    bool ok() const { return m_ok; }

private:
    void restore()
    {
        [[maybe_unused]] const int rc1 = seteuid(0);
        [[maybe_unused]] const int rc2 = setegid(0);
        [[maybe_unused]] const int rc3 = setgroups(m_saved_groups.size(), m_saved_groups.data());
    }

    bool m_switched = false;
    bool m_ok = false;
    std::vector<gid_t> m_saved_groups;
};

}  // namespace

std::optional<UserInfo> lookup_user(const std::string& name)
{
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(size > 0 ? static_cast<size_t>(size) : 16384);
    passwd pw{};
    passwd* result = nullptr;
    while (getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &result) == ERANGE) {
        buffer.resize(buffer.size() * 2);
    }
    if (result == nullptr) {
        return std::nullopt;
    }
    return from_passwd(pw);
}

std::optional<UserInfo> current_user()
{
    const passwd* pw = getpwuid(getuid());
    if (pw == nullptr) {
        return std::nullopt;
    }
    return from_passwd(*pw);
}

std::optional<std::string> read_file_as_user(const std::string& path, const UserInfo& user,
                                             size_t max_size)
{
    int fd = -1;
    {
        const EffectiveIds ids(user);
        if (!ids.ok()) {
            return std::nullopt;  // never read another user's file as root
        }
        fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    }
    if (fd < 0) {
        return std::nullopt;
    }
    struct stat st {};
    std::optional<std::string> text;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) <= max_size) {
        std::string data;
        data.resize(static_cast<size_t>(st.st_size));
        size_t got = 0;
        while (got < data.size()) {
            const ssize_t n = read(fd, data.data() + got, data.size() - got);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            got += static_cast<size_t>(n);
        }
        data.resize(got);
        text = std::move(data);
    }
    close(fd);
    return text;
}

std::string drop_privileges(const UserInfo& user, GroupSetting groups)
{
    if (getuid() == 0 || geteuid() == 0) {
        if (groups == GroupSetting::from_group_file &&
            initgroups(user.name.c_str(), user.gid) != 0) {
            return std::string("initgroups: ") + std::strerror(errno);
        }
        if (setgid(user.gid) != 0) {
            return std::string("setgid: ") + std::strerror(errno);
        }
        if (setuid(user.uid) != 0) {
            return std::string("setuid: ") + std::strerror(errno);
        }
    }
    // The drop must be irreversible: a non-root user must get neither uid 0
    // nor gid 0 back (saved ids included).
    if (user.uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
        return "privileges could not be dropped";
    }
    if (user.uid != 0 && user.gid != 0 && (setgid(0) == 0 || setegid(0) == 0)) {
        return "group privileges could not be dropped";
    }
    if (getuid() != user.uid || geteuid() != user.uid || getgid() != user.gid ||
        getegid() != user.gid) {
        return "running as the wrong user";
    }
    return {};
}

}  // namespace burrow::server
