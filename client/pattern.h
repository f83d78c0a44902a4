// ssh-style host patterns: '*' and '?' wildcards, comma-separated lists with
// '!' negation (ssh_config(5) "PATTERNS", sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
#pragma once

#include <string_view>

namespace burrow::client {

/// Whether letters must match in case.
enum class Case { insensitive, sensitive };

/// True if `text` matches the whole `pattern` ('*' = any run, '?' = one
/// character). Case-insensitive by default, as host names are; user and
/// environment names, and ssh_config(5) Host lines, compare exactly.
bool wildcard_match(std::string_view pattern, std::string_view text, Case mode = Case::insensitive);

/// Outcome of matching a comma-separated pattern list.
enum class ListMatch { none, positive, negated };

/// Match `text` against "pat1,!pat2,...". A matching negated pattern wins
/// over any positive one (the entry must then be ignored entirely).
ListMatch match_pattern_list(std::string_view list, std::string_view text,
                             Case mode = Case::insensitive);

}  // namespace burrow::client
