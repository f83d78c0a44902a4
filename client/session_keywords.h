// ssh_config(5) keywords about the interactive session: RequestTTY,
// SendEnv, SetEnv and EscapeChar (issue D). Internal to client/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "client/options.h"

namespace burrow::client {

/// Apply one session keyword. nullopt: `keyword` is not a session keyword;
/// otherwise the error message, or an empty optional on success.
std::optional<std::optional<std::string>> apply_session_keyword(ClientConfig& config,
                                                                std::string_view keyword,
                                                                std::string_view value);

/// Fill the session fields of `settings` from `config` (defaults as ssh).
void resolve_session_settings(const ClientConfig& config, Settings& settings);

/// The RequestTTY spelling used by `ssh -G` (true, false, force, auto).
std::string_view request_tty_name(RequestTty value);

}  // namespace burrow::client
