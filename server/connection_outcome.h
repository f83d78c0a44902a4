// How a connection process ends, told to the listener that forked it: its
// exit status (for PerSourcePenalties) and the moment it authenticates (for
// MaxStartups, which counts only connections still unauthenticated).
#pragma once

namespace burrow::server {

/// Exit statuses of a connection process. A connection process killed by a
/// signal counts as a crash.
enum ConnectionExit : int {
    exit_connection_ok = 0,       ///< ended normally (authenticated, or client left)
    exit_connection_error = 1,    ///< ended on an error before authentication
    exit_grace_exceeded = 3,      ///< LoginGraceTime expired
    exit_child_crash = 4,         ///< the user's process crashed (reported by the monitor)
    exit_auth_attempted = 5,      ///< authentication was tried and failed
    exit_refused_by_policy = 6,   ///< refused by configuration (e.g. DenyUsers)
};

/// Called once by a connection process when its user has authenticated:
/// the listener stops counting it against MaxStartups.
void notify_listener_authenticated();

/// In a process forked from the connection process (its monitor): close
/// this copy of the startup pipe without notifying.
void drop_startup_pipe();

/// Set by the listener in a forked connection process: the write end of its
/// startup pipe (close-on-exec). notify_listener_authenticated() writes one
/// byte to it and closes it; -1 (the default, e.g. burrowd -d) makes it a no-op.
void set_startup_pipe(int fd);

}  // namespace burrow::server
