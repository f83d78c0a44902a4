// What an interactive session asks for before its shell or command starts,
// decided as ssh(1) decides it: whether to request a pty (RequestTTY, -t,
// -tt, -T) and which "env" requests to send (SendEnv, SetEnv). Pure
// functions of their arguments, so they can be tested without a terminal.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/options.h"

namespace burrow::client {

/// ssh(1)'s pty decision for RequestTTY (-T, -t, -tt): `stdin_tty` says
/// whether standard input is a terminal (false with -n).
bool want_pty(RequestTty request, bool has_command, bool stdin_tty);

/// The "env" requests to send: local variables (from `env`, "NAME=value"
/// strings) matching a SendEnv pattern, then the SetEnv pairs; a SetEnv name
/// replaces the same SendEnv name (as ssh(1)).
std::vector<std::pair<std::string, std::string>> session_environment(const Settings& settings,
                                                                     const char* const* env);

/// ssh(1)'s environment name patterns: '*' and '?' wildcards, case-sensitive
/// (unlike host patterns, since variable names are).
bool env_name_match(std::string_view pattern, std::string_view name);

}  // namespace burrow::client
