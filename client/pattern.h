// ssh-style host patterns: '*' and '?' wildcards, comma-separated lists with
// '!' negation (ssh_config(5) "PATTERNS", sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
#pragma once

#include <string_view>

namespace burrow::client {

/// True if `text` matches the whole `pattern` ('*' = any run, '?' = one
/// character). Case-insensitive, as host names are.
bool wildcard_match(std::string_view pattern, std::string_view text);

/// Outcome of matching a comma-separated pattern list.
enum class ListMatch { none, positive, negated };

/// Match `text` against "pat1,!pat2,...". A matching negated pattern wins
/// over any positive one (the entry must then be ignored entirely).
ListMatch match_pattern_list(std::string_view list, std::string_view text);

}  // namespace burrow::client
