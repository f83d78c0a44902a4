// utmp/wtmp/lastlog records and login texts (see server/login_records.h).
#include "server/login_records.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utmp.h>
#include <utmpx.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include "server/log.h"

namespace burrow::server {

namespace {

/// Copy `text` into a fixed-size, not necessarily NUL-terminated record
/// field (utmp(5): ut_line, ut_user, ... are filled up to their size).
template <size_t N>
void set_field(char (&field)[N], const std::string& text)
{
    std::memset(field, 0, N);
    std::memcpy(field, text.data(), std::min(N, text.size()));
}

/// A fixed-size record field as a string (stops at the first NUL).
template <size_t N>
std::string get_field(const char (&field)[N])
{
    return std::string(field, strnlen(field, N));
}

/// ut_addr_v6: an IPv4 address in the first word, IPv6 in all four
/// (utmp(5)); an IPv4-mapped IPv6 address is stored as IPv4.
void set_address(utmpx& entry, const std::string& host)
{
    in6_addr v6{};
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        std::memcpy(&entry.ut_addr_v6[0], &v4, sizeof v4);
    } else if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&v6)) {
            std::memcpy(&entry.ut_addr_v6[0], &v6.s6_addr[12], 4);
        } else {
            std::memcpy(entry.ut_addr_v6, &v6, sizeof v6);
        }
    }
}

void set_now(utmpx& entry)
{
    timeval now{};
    gettimeofday(&now, nullptr);
    entry.ut_tv.tv_sec = static_cast<decltype(entry.ut_tv.tv_sec)>(now.tv_sec);
    entry.ut_tv.tv_usec = static_cast<decltype(entry.ut_tv.tv_usec)>(now.tv_usec);
}

/// The entry common to login and logout: line, id, pid and time.
utmpx base_entry(const LoginRecord& r, short type)
{
    utmpx entry{};
    entry.ut_type = type;
    entry.ut_pid = r.pid;
    set_field(entry.ut_line, tty_line(r.tty));
    set_field(entry.ut_id, tty_id(r.tty));
    set_now(entry);
    return entry;
}

/// Replace (or add) the utmp entry with the same ut_id; utmpxname's file
/// stays process-wide state of libc, so it is reset to the default after.
void write_utmp(const utmpx& entry, const std::string& path)
{
    if (utmpxname(path.c_str()) != 0) {
        log_error("utmp: cannot use " + path);
        return;
    }
    setutxent();
    if (pututxline(&entry) == nullptr) {
        log_error("utmp: cannot write " + path + ": " + std::strerror(errno));
    }
    endutxent();
    utmpxname(_PATH_UTMP);
}

void append_wtmp(const utmpx& entry, const std::string& path)
{
    // updwtmpx reports nothing, so check first that the file is writable.
    if (access(path.c_str(), W_OK) != 0) {
        log_error("wtmp: cannot write " + path + ": " + std::strerror(errno));
        return;
    }
    updwtmpx(path.c_str(), &entry);
}

off_t lastlog_offset(uid_t uid)
{
    return static_cast<off_t>(uid) * static_cast<off_t>(sizeof(struct lastlog));
}

void write_lastlog(const LoginRecord& r, time_t when, const std::string& path)
{
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        log_error("lastlog: cannot open " + path + ": " + std::strerror(errno));
        return;
    }
    struct lastlog entry {};
    entry.ll_time = static_cast<decltype(entry.ll_time)>(when);
    set_field(entry.ll_line, tty_line(r.tty));
    set_field(entry.ll_host, r.host);
    const ssize_t n = pwrite(fd, &entry, sizeof entry, lastlog_offset(r.uid));
    if (n != static_cast<ssize_t>(sizeof entry)) {
        log_error("lastlog: cannot write " + path);
    }
    close(fd);
}

/// At most max_login_text_bytes of a regular file; nullopt if it cannot
/// be opened.
std::optional<std::string> read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::string text(max_login_text_bytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
}

}  // namespace

std::string tty_line(const std::string& tty)
{
    const std::string prefix = "/dev/";
    if (tty.compare(0, prefix.size(), prefix) == 0) {
        return tty.substr(prefix.size());
    }
    return tty;
}

std::string tty_id(const std::string& tty)
{
    const std::string line = tty_line(tty);
    constexpr size_t id_size = sizeof(utmpx{}.ut_id);
    return line.size() <= id_size ? line : line.substr(line.size() - id_size);
}

void record_login(const LoginRecord& r, const LoginRecordFiles& files)
{
    if (r.tty.empty()) {
        log_error("login records need a tty; nothing recorded for " + r.user);
        return;
    }
    utmpx entry = base_entry(r, USER_PROCESS);
    set_field(entry.ut_user, r.user);
    set_field(entry.ut_host, r.host);
    set_address(entry, r.host);
    entry.ut_session = static_cast<decltype(entry.ut_session)>(r.pid);
    write_utmp(entry, files.utmp);
    append_wtmp(entry, files.wtmp);
    write_lastlog(r, static_cast<time_t>(entry.ut_tv.tv_sec), files.lastlog);
}

void record_logout(const LoginRecord& r, const LoginRecordFiles& files)
{
    if (r.tty.empty()) {
        return;  // record_login recorded nothing either
    }
    // The user and host are cleared; last(1) pairs the logout with the
    // login by ut_line.
    const utmpx entry = base_entry(r, DEAD_PROCESS);
    write_utmp(entry, files.utmp);
    append_wtmp(entry, files.wtmp);
}

std::optional<std::string> last_login_message(uid_t uid, const LoginRecordFiles& files)
{
    const int fd = open(files.lastlog.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    struct lastlog entry {};
    const ssize_t n = pread(fd, &entry, sizeof entry, lastlog_offset(uid));
    close(fd);
    if (n != static_cast<ssize_t>(sizeof entry) || entry.ll_time == 0) {
        return std::nullopt;  // beyond the end or a hole: never logged in
    }
    const time_t when = entry.ll_time;
    char buffer[64] = {};
    std::tm local{};
    if (localtime_r(&when, &local) == nullptr ||
        std::strftime(buffer, sizeof buffer, "%a %b %e %H:%M:%S %Y", &local) == 0) {
        return std::nullopt;
    }
    std::string message = std::string("Last login: ") + buffer;
    const std::string host = get_field(entry.ll_host);
    if (!host.empty()) {
        message += " from " + host;
    }
    return message;
}

std::string motd_text(const std::string& path)
{
    return read_text(path).value_or(std::string());
}

std::optional<std::string> banner_text(const std::string& path)
{
    if (path.empty()) {
        return std::nullopt;
    }
    std::optional<std::string> text = read_text(path);
    if (!text) {
        log_error("Banner: cannot read " + path);
        return std::nullopt;
    }
    if (text->empty()) {
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> nologin_message(uid_t uid, const std::vector<std::string>& paths)
{
    if (uid == 0) {
        return std::nullopt;  // root may always log in (sshd(8), pam_nologin(8))
    }
    for (const std::string& path : paths) {
        struct stat st {};
        if (stat(path.c_str(), &st) != 0) {
            continue;
        }
        // An unreadable nologin file still refuses the login.
        return read_text(path).value_or(std::string());
    }
    return std::nullopt;
}

}  // namespace burrow::server
