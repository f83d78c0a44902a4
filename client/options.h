// Command line and -o keyword=value parsing for burrow, with ssh(1) and
// ssh_config(5) semantics: case-insensitive keywords, the first value
// obtained for an option wins (IdentityFile accumulates), and the command is
// the remaining arguments joined by spaces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/forward_spec.h"
#include "client/log.h"
#include "crypto/rekey_limit.h"

namespace burrow::client {

/// ssh_config(5) StrictHostKeyChecking.
enum class StrictHostKeyChecking { yes, accept_new, no, ask };

/// Address family restriction (-4 / -6).
enum class AddressFamily { any, inet, inet6 };

/// ssh_config(5) RequestTTY / ssh(1) -T, -t, -tt.
enum class RequestTty { no, yes, force, automatic };

/// Everything the command line said; unset fields fall back to defaults in
/// resolve_settings().
struct ClientConfig {
    std::optional<std::string> host;      ///< destination host (after user@)
    std::optional<std::string> hostname;  ///< -o HostName: real host to contact
    std::optional<std::string> user;
    std::optional<uint16_t> port;
    std::vector<std::string> identity_files;  ///< -i and IdentityFile, in order
    std::optional<bool> identities_only;
    std::optional<StrictHostKeyChecking> strict_host_key_checking;
    std::optional<std::vector<std::string>> user_known_hosts_files;
    std::optional<std::vector<std::string>> global_known_hosts_files;
    std::optional<bool> batch_mode;
    std::optional<bool> forward_agent;                   ///< -A / -a, ForwardAgent
    std::optional<std::string> identity_agent;           ///< IdentityAgent
    std::optional<bool> pubkey_authentication;           ///< PubkeyAuthentication
    std::optional<bool> password_authentication;         ///< PasswordAuthentication
    std::optional<bool> kbd_interactive_authentication;  ///< KbdInteractiveAuthentication
    std::optional<std::vector<std::string>> preferred_authentications;
    std::optional<unsigned> number_of_password_prompts;  ///< NumberOfPasswordPrompts
    std::optional<LogLevel> log_level;
    // Raw algorithm specs (may use +, -, ^), checked when given.
    std::optional<std::string> ciphers;              ///< -c, Ciphers
    std::optional<std::string> macs;                 ///< -m, MACs
    std::optional<std::string> kex_algorithms;       ///< KexAlgorithms
    std::optional<std::string> host_key_algorithms;  ///< HostKeyAlgorithms
    std::optional<std::string> pubkey_algorithms;    ///< PubkeyAcceptedAlgorithms
    std::optional<crypto::RekeyLimit> rekey_limit;   ///< RekeyLimit
    std::optional<bool> compression;                 ///< -C, Compression
    std::optional<AddressFamily> address_family;
    std::optional<RequestTty> request_tty;  ///< -T / -t / -tt, RequestTTY
    /// SendEnv patterns, accumulated over every source; "-pattern" removes.
    std::vector<std::string> send_env;
    std::optional<std::vector<std::string>> set_env;  ///< SetEnv NAME=value (first line wins)
    /// -e / EscapeChar: the outer optional is "set", the inner nullopt "none".
    std::optional<std::optional<char>> escape_char;
    int verbose = 0;  ///< number of -v
    bool quiet = false;
    bool stdin_null = false;                   ///< -n
    std::optional<std::string> command;        ///< nullopt: start a shell
    std::vector<std::string> ignored_options;  ///< known keywords we accept but do not use
    // Port forwarding (issue E): -L/-R/-D and the *Forward keywords accumulate.
    std::vector<ForwardSpec> forwards;
    std::optional<bool> gateway_ports;               ///< -g, GatewayPorts
    std::optional<bool> exit_on_forward_failure;     ///< ExitOnForwardFailure
    std::optional<bool> clear_all_forwardings;       ///< ClearAllForwardings
    std::optional<unsigned> server_alive_interval;   ///< ServerAliveInterval (seconds)
    std::optional<unsigned> server_alive_count_max;  ///< ServerAliveCountMax
    bool no_session = false;                         ///< -N: no session channel (SessionType none)
    bool fork_after_auth = false;  ///< -f: go to the background after authentication
};

/// What main() should do after parsing.
enum class CommandAction { run, help, version, usage_error, query };

struct ParseResult {
    CommandAction action = CommandAction::run;
    ClientConfig config;
    std::string error;  ///< for usage_error: what was wrong
    std::string query;  ///< for query: the -Q argument
    /// -F: the configuration file to read instead of the default ones.
    std::optional<std::string> config_file;
    bool print_config = false;  ///< -G: print the effective configuration and exit
};

/// Parse argv[1..] (options may also follow the destination, as with ssh).
ParseResult parse_command_line(const std::vector<std::string>& args);

/// How apply_option()'s error starts when the keyword is not known at all.
inline constexpr std::string_view unsupported_option_prefix = "unsupported configuration option: ";

/// Apply one "Keyword=value" or "Keyword value" option (ssh -o).
/// Returns an error message, or nullopt on success.
std::optional<std::string> apply_option(ClientConfig& config, std::string_view text);

/// The usage text printed for -h and usage errors.
std::string usage_text();

/// Settings with every default filled in.
struct Settings {
    std::string host;          ///< name used for known_hosts and messages
    std::string connect_host;  ///< name or address actually contacted
    std::string user;
    uint16_t port = 22;
    std::vector<std::string> identity_files;
    std::vector<std::string> user_known_hosts_files;
    std::vector<std::string> global_known_hosts_files;
    StrictHostKeyChecking strict_host_key_checking = StrictHostKeyChecking::ask;
    bool batch_mode = false;
    bool identities_only = false;
    bool forward_agent = false;
    /// Agent socket for authentication: "" = $SSH_AUTH_SOCK, "none" = no agent.
    std::string identity_agent;
    /// Methods to try, in order, after the ones ruled out by the
    /// *Authentication yes/no keywords were removed.
    std::vector<std::string> preferred_authentications;
    unsigned number_of_password_prompts = 3;
    LogLevel log_level = LogLevel::info;
    std::string cipher_spec;  ///< empty: defaults
    std::string mac_spec;
    std::string kex_spec;
    /// nullopt: not configured, so the client orders the defaults by the
    /// key types known_hosts holds for the host (as ssh(1) does).
    std::optional<std::string> host_key_spec;
    std::string pubkey_spec;
    crypto::RekeyLimit rekey_limit;
    bool compression = false;
    AddressFamily address_family = AddressFamily::any;
    RequestTty request_tty = RequestTty::automatic;
    /// Environment variable name patterns to send ("env" requests).
    std::vector<std::string> send_env;
    /// NAME=value pairs to send; each name appears once.
    std::vector<std::string> set_env;
    /// Session escape character; nullopt: escapes disabled ("none").
    std::optional<char> escape_char = '~';
    std::optional<std::string> command;
    bool stdin_null = false;
    /// Forwardings to set up, in the order given (empty with ClearAllForwardings).
    std::vector<ForwardSpec> forwards;
    bool gateway_ports = false;
    bool exit_on_forward_failure = false;
    bool clear_all_forwardings = false;
    unsigned server_alive_interval = 0;  ///< seconds; 0: no keepalives
    unsigned server_alive_count_max = 3;
    bool no_session = false;
    bool fork_after_auth = false;
};

/// Fill defaults: `home` expands '~', `local_user` is the default user.
Settings resolve_settings(const ClientConfig& config, std::string_view home,
                          std::string_view local_user);

/// Parse an EscapeChar / -e value into `escape`: one character, "^X" for a
/// control character, or "none" (nullopt). False if the value is invalid.
bool parse_escape_char(std::string_view value, std::optional<char>& escape);

/// Expand a leading "~" or "~/" to `home`.
std::string expand_tilde(std::string_view path, std::string_view home);

/// Apply an ssh_config(5) algorithm list spec to `defaults`: "a,b" replaces,
/// "+a" appends, "-pat" removes (wildcards), "^a" prepends. Every named
/// algorithm must be in `supported`; on error `error` is set and nullopt
/// returned. (crypto::apply_algorithm_list() with a reference error.)
std::optional<std::vector<std::string>> resolve_algorithm_list(
    std::string_view spec, const std::vector<std::string>& defaults,
    const std::vector<std::string>& supported, std::string& error);

}  // namespace burrow::client
