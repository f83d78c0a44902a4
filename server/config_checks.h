// Checks shared by the sshd_config(5) keyword parsers (server/config*.cpp):
// errors name "file:line" and what was wrong, as sshd's do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace burrow::server {

/// Throw ConfigError("where: what").
[[noreturn]] void config_fail(std::string_view where, const std::string& what);

/// Between `min` and `max` arguments, or ConfigError "missing argument for" /
/// "too many arguments for" the keyword.
void require_args(const std::vector<std::string>& args, size_t min, size_t max,
                  const std::string& keyword, std::string_view where);

}  // namespace burrow::server
