// ssh_config(5) keywords and ssh(1) options about port forwarding (issue E):
// LocalForward, RemoteForward, DynamicForward, GatewayPorts,
// ExitOnForwardFailure, ClearAllForwardings, ServerAliveInterval,
// ServerAliveCountMax, SessionType and ForkAfterAuthentication. Internal to client/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "client/options.h"

namespace burrow::client {

/// Add one -L / -R / -D argument (`letter` is 'L', 'R' or 'D'). Returns the
/// error message on a malformed specification.
std::optional<std::string> add_forward_option(ClientConfig& config, char letter,
                                              std::string_view value);

/// Apply one forwarding keyword. nullopt: `keyword` is not one of these;
/// otherwise the error message, or an empty optional on success.
std::optional<std::optional<std::string>> apply_forward_keyword(ClientConfig& config,
                                                                std::string_view keyword,
                                                                std::string_view value);

/// Fill the forwarding fields of `settings` from `config` (defaults as ssh).
void resolve_forward_settings(const ClientConfig& config, Settings& settings);

}  // namespace burrow::client
