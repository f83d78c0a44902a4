// sshd_config(5) AllowUsers, DenyUsers, AllowGroups, DenyGroups and the
// login-shell check sshd(8) makes before authentication starts.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace burrow::server {

/// The four lists as configured (each entry one pattern; user entries may be
/// "user@host" where host is a hostname pattern, an address pattern or a
/// CIDR block, or a comma list of those with '!' negation).
struct AccessLists {
    std::vector<std::string> allow_users;
    std::vector<std::string> deny_users;
    std::vector<std::string> allow_groups;
    std::vector<std::string> deny_groups;
    bool operator==(const AccessLists&) const = default;
};

/// Who is asking.
struct AccessRequest {
    std::string user;
    std::vector<std::string> groups;  ///< the user's group names
    std::string shell;                ///< login shell; empty = /bin/sh
    std::string host;                 ///< remote host name (or the address)
    std::string address;              ///< remote address
    /// sshd(8) skips the shell check when ChrootDirectory is set.
    bool check_shell = true;
};

/// nullopt if the user may log in; otherwise sshd's log line, e.g. "User
/// alice from 1.2.3.4 not allowed because listed in DenyUsers". Checks in
/// sshd's order: shell exists and is executable, DenyUsers, AllowUsers,
/// DenyGroups, AllowGroups.
std::optional<std::string> access_refusal(const AccessLists& lists, const AccessRequest& request);

}  // namespace burrow::server
