#include "server/access_lists.h"

#include <sys/stat.h>

#include <algorithm>

#include "server/config_match.h"
#include "server/key_options.h"

namespace burrow::server {

namespace {

/// sshd(8): an empty shell field means the Bourne shell.
constexpr const char* default_shell = "/bin/sh";

/// One AllowUsers/DenyUsers entry: "user" or "user@host-pattern-list".
bool user_entry_matches(const std::string& entry, const AccessRequest& r)
{
    const size_t at = entry.find('@');
    if (at == std::string::npos) {
        return match_name_list(entry, r.user) == ListMatch::match;
    }
    if (match_name_list(entry.substr(0, at), r.user) != ListMatch::match) {
        return false;
    }
    // The host part: CIDR blocks and address patterns against the address,
    // wildcards also against the host name.
    return match_source_list(entry.substr(at + 1), r.address, r.host);
}

bool any_user_entry(const std::vector<std::string>& entries, const AccessRequest& r)
{
    return std::any_of(entries.begin(), entries.end(),
                       [&](const std::string& e) { return user_entry_matches(e, r); });
}

bool any_group(const std::vector<std::string>& patterns, const std::vector<std::string>& groups)
{
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
        return std::any_of(groups.begin(), groups.end(), [&](const std::string& g) {
            return match_name_list(p, g) == ListMatch::match;
        });
    });
}

std::optional<std::string> shell_refusal(const AccessRequest& r, const std::string& prefix)
{
    const std::string shell = r.shell.empty() ? default_shell : r.shell;
    struct stat st {};
    if (stat(shell.c_str(), &st) != 0) {
        return prefix + "because shell " + shell + " does not exist";
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IXOTH | S_IXUSR | S_IXGRP)) == 0) {
        return prefix + "because shell " + shell + " is not executable";
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> access_refusal(const AccessLists& lists, const AccessRequest& request)
{
    const std::string prefix = "User " + request.user + " from " +
                               (request.host.empty() ? request.address : request.host) +
                               " not allowed ";
    if (request.check_shell) {
        if (auto refusal = shell_refusal(request, prefix)) {
            return refusal;
        }
    }
    if (any_user_entry(lists.deny_users, request)) {
        return prefix + "because listed in DenyUsers";
    }
    if (!lists.allow_users.empty() && !any_user_entry(lists.allow_users, request)) {
        return prefix + "because not listed in AllowUsers";
    }
    if (any_group(lists.deny_groups, request.groups)) {
        return prefix + "because a group is listed in DenyGroups";
    }
    if (!lists.allow_groups.empty() && !any_group(lists.allow_groups, request.groups)) {
        return prefix + "because none of user's groups are listed in AllowGroups";
    }
    return std::nullopt;
}

}  // namespace burrow::server
