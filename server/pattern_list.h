// sshd's pattern lists (ssh_config(5)/sshd_config(5) PATTERNS): comma-
// separated patterns, each possibly negated with '!'. One engine for every
// list burrowd reads: Match criteria, AllowUsers/DenyUsers, from=, ...
#pragma once

#include <algorithm>
#include <string_view>

namespace burrow::server {

/// How a list matched: no pattern matched, a pattern matched, or a negated
/// pattern matched (which decides "no" whatever else matches).
enum class ListMatch { no_match, match, negated };

/// Test each pattern of `list` with `one(pattern)` (the '!' removed first).
template <typename Test>
ListMatch match_pattern_list(std::string_view list, Test one)
{
    ListMatch result = ListMatch::no_match;
    size_t pos = 0;
    while (pos <= list.size()) {
        const size_t end = std::min(list.find(',', pos), list.size());
        std::string_view pattern = list.substr(pos, end - pos);
        pos = end + 1;
        const bool negated = !pattern.empty() && pattern.front() == '!';
        if (negated) {
            pattern.remove_prefix(1);
        }
        if (pattern.empty() || !one(pattern)) {
            continue;
        }
        if (negated) {
            return ListMatch::negated;
        }
        result = ListMatch::match;
    }
    return result;
}

}  // namespace burrow::server
