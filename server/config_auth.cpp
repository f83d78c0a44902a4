// sshd_config(5) authentication keywords (see server/auth_settings.h), and
// the login texts around authentication: Banner, PrintMotd, PrintLastLog.
#include <cctype>

#include "server/auth_settings.h"
#include "server/config.h"
#include "server/config_checks.h"

namespace burrow::server {

namespace {

/// The RawConfig slot of a yes/no keyword (`key` lower case), or null.
std::optional<bool> RawConfig::*flag_slot(const std::string& key)
{
    if (key == "usepam") {
        return &RawConfig::use_pam;
    }
    if (key == "passwordauthentication") {
        return &RawConfig::password_authentication;
    }
    // ChallengeResponseAuthentication is the deprecated alias.
    if (key == "kbdinteractiveauthentication" || key == "challengeresponseauthentication") {
        return &RawConfig::kbd_interactive_authentication;
    }
    if (key == "pubkeyauthentication") {
        return &RawConfig::pubkey_authentication;
    }
    if (key == "permitemptypasswords") {
        return &RawConfig::permit_empty_passwords;
    }
    if (key == "printmotd") {
        return &RawConfig::print_motd;
    }
    if (key == "printlastlog") {
        return &RawConfig::print_last_log;
    }
    if (key == "tcpkeepalive") {
        return &RawConfig::tcp_keep_alive;
    }
    return nullptr;
}

void apply_flag(std::optional<bool>& slot, const std::string& keyword,
                const std::vector<std::string>& args, std::string_view where)
{
    require_args(args, 1, 1, keyword, where);
    const std::optional<bool> value = parse_yes_no(args[0]);
    if (!value) {
        config_fail(where, "bad " + keyword + " value \"" + args[0] + "\"");
    }
    if (!slot) {  // first value wins
        slot = value;
    }
}

}  // namespace

bool ConfigParser::apply_auth_keyword(const std::string& key, const std::string& keyword,
                                      const std::vector<std::string>& args, std::string_view where)
{
    if (const auto slot = flag_slot(key)) {
        apply_flag(m_raw.*slot, keyword, args, where);
    } else if (key == "permitrootlogin") {
        require_args(args, 1, 1, keyword, where);
        const std::optional<PermitRootLogin> value = parse_permit_root_login(args[0]);
        if (!value) {
            config_fail(where, "bad PermitRootLogin value \"" + args[0] + "\"");
        }
        if (!m_raw.permit_root_login) {
            m_raw.permit_root_login = value;
        }
    } else if (key == "authenticationmethods") {
        if (args.empty()) {
            config_fail(where, "missing argument for \"" + keyword + "\"");
        }
        std::vector<std::vector<std::string>> lists;
        const std::string error = parse_authentication_methods(args, lists);
        if (!error.empty()) {
            config_fail(where, error);
        }
        if (!m_raw.authentication_methods) {
            m_raw.authentication_methods = std::move(lists);
        }
    } else if (key == "maxauthtries") {
        require_args(args, 1, 1, keyword, where);
        const std::string& v = args[0];
        const bool digits =
            !v.empty() && v.size() <= 6 && v.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || std::stoul(v) == 0) {
            config_fail(where, "bad MaxAuthTries value \"" + v + "\"");
        }
        if (!m_raw.max_auth_tries) {
            m_raw.max_auth_tries = static_cast<unsigned>(std::stoul(v));
        }
    } else if (key == "logingracetime") {
        require_args(args, 1, 1, keyword, where);
        const std::optional<std::chrono::seconds> value = parse_time_interval(args[0]);
        if (!value) {
            config_fail(where, "bad LoginGraceTime value \"" + args[0] + "\"");
        }
        if (!m_raw.login_grace_time) {
            m_raw.login_grace_time = value;
        }
    } else if (key == "banner") {
        // A file sent before authentication; "none" (the default) sends none.
        require_args(args, 1, 1, keyword, where);
        if (!m_raw.banner) {
            m_raw.banner = args[0] == "none" ? std::string() : args[0];
        }
    } else {
        return false;
    }
    return true;
}

void resolve_auth(const RawConfig& raw, ServerConfig& out)
{
    AuthSettings& a = out.auth;
    const AuthSettings defaults;
    a.use_pam = raw.use_pam.value_or(defaults.use_pam);
    a.password_authentication =
        raw.password_authentication.value_or(defaults.password_authentication);
    a.kbd_interactive_authentication =
        raw.kbd_interactive_authentication.value_or(defaults.kbd_interactive_authentication);
    a.pubkey_authentication = raw.pubkey_authentication.value_or(defaults.pubkey_authentication);
    a.permit_empty_passwords = raw.permit_empty_passwords.value_or(defaults.permit_empty_passwords);
    a.permit_root_login = raw.permit_root_login.value_or(defaults.permit_root_login);
    a.authentication_methods = raw.authentication_methods.value_or(defaults.authentication_methods);
    a.max_auth_tries = raw.max_auth_tries.value_or(defaults.max_auth_tries);
    a.login_grace_time = raw.login_grace_time.value_or(defaults.login_grace_time);
    out.print_motd = raw.print_motd.value_or(true);
    out.print_last_log = raw.print_last_log.value_or(true);
    out.tcp_keep_alive = raw.tcp_keep_alive.value_or(true);
    out.banner = raw.banner.value_or(std::string());
}

std::vector<std::string> enabled_auth_methods(const AuthSettings& settings)
{
    std::vector<std::string> out;
    if (settings.pubkey_authentication) {
        out.emplace_back("publickey");
    }
    if (settings.password_authentication) {
        out.emplace_back("password");
    }
    if (settings.kbd_interactive_authentication) {
        out.emplace_back("keyboard-interactive");
    }
    return out;
}

}  // namespace burrow::server
