// Login bookkeeping for interactive sessions, as login(1) and sshd(8) keep
// it: utmp (who is logged in now: who(1)), wtmp (history: last(1)),
// lastlog (the last login per uid: lastlog(8), PrintLastLog), plus the
// texts shown at login (/etc/motd for PrintMotd, /etc/nologin).
//
// Errors are logged and never thrown: a missing or unwritable record file
// must not stop a user from logging in (sshd behaves the same way).
#pragma once

#include <paths.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace burrow::server {

/// Largest /etc/motd or nologin text shown; the rest is cut off, so a huge
/// or endless file (a FIFO, /dev/zero) cannot stall or bloat a session.
constexpr size_t max_login_text_bytes = 64 * 1024;

/// Where the records live; tests point these at temp files.
struct LoginRecordFiles {
    std::string utmp = _PATH_UTMP;
    std::string wtmp = _PATH_WTMP;
    std::string lastlog = _PATH_LASTLOG;
};

/// One interactive login.
struct LoginRecord {
    pid_t pid = 0;     ///< the session's process (the user's shell)
    std::string user;  ///< login name
    uid_t uid = 0;     ///< for the lastlog slot
    std::string tty;   ///< "/dev/pts/3"
    std::string host;  ///< peer IP address (text)
};

/// The utmp ut_line of a tty: the path without "/dev/" ("pts/3").
std::string tty_line(const std::string& tty);

/// The utmp ut_id of a tty: the last four characters of its ut_line
/// ("pts/3" -> "ts/3"), as login(1) derives it (utmp(5)).
std::string tty_id(const std::string& tty);

/// Writes a USER_PROCESS entry to utmp (pututxline after utmpxname), appends
/// it to wtmp (updwtmpx) and stores the lastlog entry of the uid (struct
/// lastlog at offset uid * sizeof(struct lastlog) in the sparse file). The
/// utmp and wtmp files must exist (as for login(1)); lastlog is created.
/// Only sessions with a tty are recorded (as by sshd): an empty `tty` is
/// logged and records nothing.
void record_login(const LoginRecord& r, const LoginRecordFiles& files = {});

/// Marks the utmp entry (same ut_line/ut_id) DEAD_PROCESS and appends an
/// empty-user logout entry to wtmp, as login(1) and sshd(8) do.
void record_logout(const LoginRecord& r, const LoginRecordFiles& files = {});

/// "Last login: Thu Nov 26 11:00:00 2026 from 127.0.0.1" from the uid's
/// lastlog entry, as sshd's PrintLastLog shows it (read it BEFORE
/// record_login); nullopt if the uid never logged in.
std::optional<std::string> last_login_message(uid_t uid, const LoginRecordFiles& files = {});

/// The content of the message of the day file (at most
/// max_login_text_bytes), empty if it is missing or unreadable.
std::string motd_text(const std::string& path = "/etc/motd");

/// The Banner file's content (at most max_login_text_bytes) to send before
/// authentication; nullopt when `path` is empty ("Banner none"), or the
/// file is missing or empty.
std::optional<std::string> banner_text(const std::string& path);

/// sshd(8): while /etc/nologin (or /var/run/nologin) exists, users other
/// than root are refused and the file's content is shown to them. Returns
/// that content (possibly empty) when the login must be refused, nullopt
/// when logins are allowed.
std::optional<std::string> nologin_message(uid_t uid, const std::vector<std::string>& paths = {
                                                          "/etc/nologin", "/var/run/nologin"});

}  // namespace burrow::server
