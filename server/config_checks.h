// Checks shared by the sshd_config(5) keyword parsers (server/config*.cpp):
// errors name "file:line" and what was wrong, as sshd's do.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/config.h"

namespace burrow::server {

/// Throw ConfigError("where: what").
[[noreturn]] void config_fail(std::string_view where, const std::string& what);

/// Between `min` and `max` arguments, or ConfigError "missing argument for" /
/// "too many arguments for" the keyword.
void require_args(const std::vector<std::string>& args, size_t min, size_t max,
                  const std::string& keyword, std::string_view where);

/// Tokenize one line: keyword and arguments ("double quoted" arguments may
/// hold spaces); nullopt for comments and empty lines.
std::optional<std::pair<std::string, std::vector<std::string>>> split_config_line(
    std::string_view line, std::string_view where);

/// The addresses to listen on: the ListenAddress values, or with none the
/// wildcard address of each family AddressFamily allows ("0.0.0.0", "::").
/// Throws ConfigError for a numeric address of a family AddressFamily
/// excludes.
std::vector<ListenAddress> listen_addresses(const RawConfig& raw);

}  // namespace burrow::server
