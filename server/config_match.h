// sshd_config(5) Match blocks: criteria (User, Group, Host, Address,
// LocalAddress, LocalPort, All), their evaluation against a connection, and
// the keywords a Match block may hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/pattern_list.h"

namespace burrow::server {

/// What a Match block is tested against (sshd(8) -C spells the same fields
/// user=, host=, addr=, laddr=, lport=).
struct ConnectionInfo {
    std::string user;
    std::string host;  ///< remote host name, or the address when UseDNS no
    std::string address;
    std::string local_address;
    uint16_t local_port = 0;
};

/// One Match criterion: "User alice,b*" or "All".
struct MatchCriterion {
    enum class Kind { all, user, group, host, address, local_address, local_port };
    Kind kind = Kind::all;
    std::string patterns;  ///< comma-separated, '!' negates; empty for All
};

/// Parse the arguments of a Match line. Throws ConfigError "where: ...".
std::vector<MatchCriterion> parse_match_criteria(const std::vector<std::string>& args,
                                                 std::string_view where);

/// Case-sensitive list match ('*', '?'), for user and group names.
ListMatch match_name_list(std::string_view list, std::string_view text);

/// Do all criteria match? `groups` are the user's group names (nullopt
/// when the user is unknown: Group then never matches).
bool match_criteria(const std::vector<MatchCriterion>& criteria, const ConnectionInfo& connection,
                    const std::optional<std::vector<std::string>>& groups);

/// Whether any criterion needs the user's groups.
bool needs_groups(const std::vector<MatchCriterion>& criteria);

/// The names of `user`'s groups (primary first, getgrouplist(3)); nullopt
/// if there is no such user.
std::optional<std::vector<std::string>> user_group_names(const std::string& user);

/// Whether sshd_config(5) allows `key` (lower case) inside a Match block
/// (of the keywords burrowd parses).
bool keyword_allowed_in_match(const std::string& key);

}  // namespace burrow::server
