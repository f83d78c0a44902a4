// sshd_config(5) session keywords: AcceptEnv, SetEnv, PermitTTY,
// ForceCommand, Subsystem, MaxSessions.
#include <charconv>

#include "server/config.h"
#include "server/config_checks.h"

namespace burrow::server {

namespace {

/// A bound on MaxSessions: each session holds a process and descriptors.
constexpr unsigned max_max_sessions = 1024;
/// Most SetEnv variables on one line.
constexpr size_t max_set_env = 256;

/// ForceCommand and Subsystem commands are the rest of the line: the
/// arguments joined by single spaces.
std::string join(const std::vector<std::string>& args, size_t from)
{
    std::string out;
    for (size_t i = from; i < args.size(); ++i) {
        out += (out.empty() ? "" : " ") + args[i];
    }
    return out;
}

}  // namespace

bool ConfigParser::apply_session_keyword(const std::string& key, const std::string& keyword,
                                         const std::vector<std::string>& args,
                                         std::string_view where)
{
    if (key == "acceptenv") {
        // Several lines (and several patterns per line) accumulate.
        require_args(args, 1, 256, keyword, where);
        if (!m_raw.accept_env) {
            m_raw.accept_env.emplace();
        }
        m_raw.accept_env->insert(m_raw.accept_env->end(), args.begin(), args.end());
    } else if (key == "setenv") {
        // NAME=VALUE pairs for every session; the first SetEnv line wins.
        require_args(args, 1, max_set_env, keyword, where);
        for (const std::string& entry : args) {
            const size_t eq = entry.find('=');
            if (eq == 0 || eq == std::string::npos) {
                config_fail(where, "invalid environment \"" + entry + "\"");
            }
        }
        if (!m_raw.set_env) {
            m_raw.set_env = args;
        }
    } else if (key == "permittty") {
        require_args(args, 1, 1, keyword, where);
        const std::optional<bool> value = parse_yes_no(args[0]);
        if (!value) {
            config_fail(where, "bad " + keyword + " value \"" + args[0] + "\"");
        }
        if (!m_raw.permit_tty) {
            m_raw.permit_tty = value;
        }
    } else if (key == "forcecommand") {
        require_args(args, 1, 4096, keyword, where);
        if (!m_raw.force_command) {
            // "none" is sshd's way of clearing it (e.g. in a Match block).
            m_raw.force_command = args.size() == 1 && args[0] == "none" ? "" : join(args, 0);
        }
    } else if (key == "subsystem") {
        require_args(args, 2, 4096, keyword, where);
        m_raw.subsystems.emplace(args[0], join(args, 1));  // first definition wins
    } else if (key == "maxsessions") {
        require_args(args, 1, 1, keyword, where);
        unsigned value = 0;
        const auto [end, ec] =
            std::from_chars(args[0].data(), args[0].data() + args[0].size(), value);
        if (ec != std::errc() || end != args[0].data() + args[0].size() ||
            value > max_max_sessions) {
            config_fail(where, "bad " + keyword + " value \"" + args[0] + "\"");
        }
        if (!m_raw.max_sessions) {
            m_raw.max_sessions = value;
        }
    } else {
        return false;
    }
    return true;
}

void resolve_session(const RawConfig& raw, ServerConfig& out)
{
    SessionSettings& s = out.session;
    s.accept_env = raw.accept_env.value_or(std::vector<std::string>{});
    s.set_env = raw.set_env.value_or(std::vector<std::string>{});
    s.permit_tty = raw.permit_tty.value_or(true);
    if (raw.force_command && !raw.force_command->empty()) {
        s.force_command = raw.force_command;
    }
    s.subsystems = raw.subsystems;
    s.max_sessions = raw.max_sessions.value_or(10);
}

}  // namespace burrow::server
