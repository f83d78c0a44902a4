// Local accounts: passwd lookup, reading files as a user, dropping privileges.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace burrow::server {

/// The fields of a passwd entry burrowd needs.
struct UserInfo {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string home;
    std::string shell;  ///< "/bin/sh" if the entry has none
};

/// getpwnam_r; nullopt if there is no such user.
std::optional<UserInfo> lookup_user(const std::string& name);

/// The account burrowd itself runs as.
std::optional<UserInfo> current_user();

/// Read a small regular file with the user's effective ids (when running
/// as root), so a user cannot make burrowd read files they cannot read.
/// nullopt if it cannot be opened or is larger than `max_size`.
std::optional<std::string> read_file_as_user(const std::string& path, const UserInfo& user,
                                             size_t max_size);

/// Become the user for good: supplementary groups, gid, uid (when running as
/// root), then verify that root cannot be regained. Returns an error text,
/// or empty on success. Meant for a freshly forked child.
/// Whether drop_privileges() sets the supplementary groups itself.
enum class GroupSetting { from_group_file, already_set };

std::string drop_privileges(const UserInfo& user,
                            GroupSetting groups = GroupSetting::from_group_file);

}  // namespace burrow::server
