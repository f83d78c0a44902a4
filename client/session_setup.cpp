#include "client/session_setup.h"

#include <algorithm>

#include "client/pattern.h"

namespace burrow::client {

bool env_name_match(std::string_view pattern, std::string_view name)
{
    // ssh_config(5) SendEnv: environment names are case-sensitive.
    return wildcard_match(pattern, name, Case::sensitive);
}

bool want_pty(RequestTty request, bool has_command, bool stdin_tty)
{
    switch (request) {
        case RequestTty::no:
            return false;
        case RequestTty::force:
            return true;
        case RequestTty::yes:
            return stdin_tty;
        case RequestTty::automatic:
            return !has_command && stdin_tty;
    }
    return false;
}

std::vector<std::pair<std::string, std::string>> session_environment(const Settings& settings,
                                                                     const char* const* env)
{
    std::vector<std::pair<std::string, std::string>> out;
    const auto set_by_set_env = [&settings](std::string_view name) {
        return std::any_of(settings.set_env.begin(), settings.set_env.end(),
                           [name](const std::string& entry) {
                               return std::string_view(entry).substr(0, entry.find('=')) == name;
                           });
    };
    for (const char* const* entry = env; entry && *entry; ++entry) {
        const std::string_view text(*entry);
        const size_t eq = text.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            continue;
        }
        const std::string_view name = text.substr(0, eq);
        const bool wanted = std::any_of(
            settings.send_env.begin(), settings.send_env.end(),
            [name](const std::string& pattern) { return env_name_match(pattern, name); });
        if (wanted && !set_by_set_env(name)) {
            out.emplace_back(std::string(name), std::string(text.substr(eq + 1)));
        }
    }
    for (const std::string& entry : settings.set_env) {
        const size_t eq = entry.find('=');
        if (eq != std::string::npos && eq > 0) {
            out.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
        }
    }
    return out;
}

}  // namespace burrow::client
