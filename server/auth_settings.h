// sshd_config(5) authentication keywords: UsePAM, PasswordAuthentication,
// KbdInteractiveAuthentication, PubkeyAuthentication, PermitEmptyPasswords,
// PermitRootLogin, AuthenticationMethods, MaxAuthTries, LoginGraceTime.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::server {

/// sshd_config(5) PermitRootLogin.
enum class PermitRootLogin {
    yes,                   ///< any method
    prohibit_password,     ///< publickey only (the default; alias without-password)
    forced_commands_only,  ///< publickey with a command= option only
    no,                    ///< never
};

/// Effective authentication settings (sshd_config(5) defaults).
struct AuthSettings {
    bool use_pam = false;
    bool password_authentication = true;
    bool kbd_interactive_authentication = true;
    bool pubkey_authentication = true;
    bool permit_empty_passwords = false;
    PermitRootLogin permit_root_login = PermitRootLogin::prohibit_password;
    /// AuthenticationMethods: lists of methods that must all succeed, in
    /// order; empty = "any" (one enabled method suffices).
    std::vector<std::vector<std::string>> authentication_methods;
    unsigned max_auth_tries = 6;
    /// LoginGraceTime; zero = no limit.
    std::chrono::seconds login_grace_time{120};
};

/// Parse an sshd_config(5) yes/no flag (case-insensitive); nullopt if neither.
std::optional<bool> parse_yes_no(std::string_view value);

/// Parse a PermitRootLogin value; nullopt if unknown.
std::optional<PermitRootLogin> parse_permit_root_login(std::string_view value);

/// Parse an sshd_config(5) TIME FORMAT value ("120", "2m", "1h30m"; units
/// s, m, h, d, w, case-insensitive); nullopt if malformed or too large.
std::optional<std::chrono::seconds> parse_time_interval(std::string_view value);

/// Parse AuthenticationMethods arguments: "any", or comma-separated lists.
/// Each method is "publickey", "password" or "keyboard-interactive",
/// optionally with ":submethod" (kept). Returns an error text on failure.
std::string parse_authentication_methods(const std::vector<std::string>& args,
                                         std::vector<std::vector<std::string>>& out);

/// The method name without an optional ":submethod".
std::string_view base_method(std::string_view method);

}  // namespace burrow::server
