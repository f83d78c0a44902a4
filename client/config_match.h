// Host and Match lines of ssh_config(5): which blocks apply to a connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/options.h"
#include "client/ssh_config.h"

namespace burrow::client {

/// ssh_config(5) "Host": true if any pattern matches `host` and no negated
/// ("!pattern") one does. Patterns may also be comma-separated lists.
bool host_line_matches(const std::vector<std::string>& patterns, std::string_view host);

/// Result of a Match line.
struct MatchResult {
    bool matched = false;
    bool wants_final_pass = false;  ///< the line used "final"
    std::optional<std::string> error;
};

/// ssh_config(5) "Match": all criteria must hold. Criteria: all, canonical,
/// final, host, originalhost, user, localuser, exec, each negatable with '!'.
/// `config` holds what is known so far (HostName, User, Port).
MatchResult evaluate_match(const std::vector<std::string>& words, const ClientConfig& config,
                           const MatchContext& context);

/// The name "Match host" compares: HostName with %h expanded, else the
/// destination.
std::string match_host_name(const ClientConfig& config, const MatchContext& context);

}  // namespace burrow::client
