// sshd_config(5)-style configuration for burrowd.
//
// Lines are "Keyword value..." or "Keyword=value..."; keywords are
// case-insensitive; lines starting with '#' and empty lines are comments;
// values may be double-quoted. For single-valued keywords the first value
// obtained wins. Command-line values (-o, -p, -h) are applied first and so
// take precedence over the file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/dh_group_exchange.h"
#include "crypto/rekey_limit.h"
#include "server/access_lists.h"
#include "server/auth_settings.h"
#include "server/config_match.h"
#include "server/daemon_settings.h"
#include "server/forwarding_policy.h"
#include "server/log.h"
#include "server/options.h"

namespace burrow::server {

/// A configuration error; the message names "file:line".
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// sshd_config(5) AddressFamily: which families ListenAddress and the
/// default listen use.
enum class AddressFamily { any, inet, inet6 };

/// One ListenAddress value: host (IPv4, IPv6 or name) and optional port.
struct ListenAddress {
    std::string host;
    std::optional<uint16_t> port;
    bool operator==(const ListenAddress&) const = default;
};

/// Values as read from the configuration sources, before defaults.
struct RawConfig {
    std::vector<uint16_t> ports;
    std::vector<ListenAddress> listen_addresses;
    std::vector<std::string> host_keys;
    std::optional<std::vector<std::string>> authorized_keys_files;
    std::optional<std::string> pid_file;
    std::optional<LogLevel> log_level;
    // Transport (already resolved against the defaults with the list syntax).
    std::optional<std::vector<std::string>> ciphers;
    std::optional<std::vector<std::string>> macs;
    std::optional<std::vector<std::string>> kex_algorithms;
    std::optional<std::vector<std::string>> host_key_algorithms;
    std::optional<std::vector<std::string>> pubkey_algorithms;
    std::optional<crypto::RekeyLimit> rekey_limit;
    std::optional<std::vector<std::string>> compression;
    std::optional<std::string> moduli_file;
    // authorized_keys handling (StrictModes, PermitUserEnvironment).
    std::optional<bool> strict_modes;
    std::optional<bool> permit_user_environment;
    std::optional<bool> allow_agent_forwarding;  ///< AllowAgentForwarding
    // Login texts (server/config_auth.cpp): PrintMotd, PrintLastLog, Banner.
    std::optional<bool> print_motd;
    std::optional<bool> tcp_keep_alive;  ///< TCPKeepAlive
    std::optional<bool> print_last_log;
    std::optional<std::string> banner;  ///< "" for "none"
    // Authentication (server/auth_settings.h).
    std::optional<bool> use_pam;
    std::optional<bool> password_authentication;
    std::optional<bool> kbd_interactive_authentication;
    std::optional<bool> pubkey_authentication;
    std::optional<bool> permit_empty_passwords;
    std::optional<PermitRootLogin> permit_root_login;
    std::optional<std::vector<std::vector<std::string>>> authentication_methods;
    std::optional<unsigned> max_auth_tries;
    std::optional<std::chrono::seconds> login_grace_time;
    // Sessions (server/config_session.cpp).
    std::optional<std::vector<std::string>> accept_env;  ///< accumulates
    std::optional<std::vector<std::string>> set_env;     ///< SetEnv, first line wins
    std::optional<bool> permit_tty;
    std::optional<std::string> force_command;
    std::map<std::string, std::string> subsystems;  ///< first definition wins
    std::optional<unsigned> max_sessions;
    // Port forwarding and ClientAlive* (server/config_forwarding.cpp).
    RawForwarding forwarding;
    // Listener: MaxStartups, PerSource* (server/config_daemon.cpp).
    RawDaemon daemon;
    std::optional<std::string> syslog_facility;  ///< SyslogFacility, upper case
    // Issue F (server/config_access.cpp): AddressFamily, UseDNS,
    // ChrootDirectory, Allow/Deny Users/Groups.
    std::optional<AddressFamily> address_family;
    std::optional<bool> use_dns;
    std::optional<std::string> chroot_directory;          ///< "" for "none"
    std::optional<std::vector<std::string>> allow_users;  ///< accumulate
    std::optional<std::vector<std::string>> deny_users;
    std::optional<std::vector<std::string>> allow_groups;
    std::optional<std::vector<std::string>> deny_groups;
};

/// Which source a configuration line comes from, highest precedence first:
/// -o, then matching Match blocks, then the file's global lines.
enum class ConfigTier { command_line = 0, match = 1, file = 2 };

/// Accumulates configuration lines from several sources.
class ConfigParser {
public:
    /// Apply one "-o keyword=value" (origin "command-line").
    void apply_override(std::string_view line, size_t index);
    /// Apply one tokenized line from `tier`. Tiers must come in order
    /// (command line, match, file): for single-valued keywords the first
    /// value wins; a list keyword (Port, AcceptEnv, AllowUsers, ...) set by a
    /// higher tier ignores the lower tiers' lines.
    void apply(const std::string& keyword, const std::vector<std::string>& args,
               std::string_view where, ConfigTier tier);
    /// Apply a whole file's text; `origin` names it in errors.
    void apply_file_text(std::string_view text, std::string_view origin);
    const RawConfig& raw() const { return m_raw; }

private:
    void apply_line(std::string_view line, std::string_view origin, size_t line_no);
    void apply_keyword(const std::string& keyword, const std::vector<std::string>& args,
                       std::string_view where);
    /// Transport keywords (Ciphers, MACs, ..., RekeyLimit, Compression,
    /// ModuliFile); false if `key` (lower case) is not one of them.
    bool apply_transport_keyword(const std::string& key, const std::string& keyword,
                                 const std::vector<std::string>& args, std::string_view where);
    /// Authentication keywords (UsePAM, PasswordAuthentication, ...,
    /// LoginGraceTime); false if `key` (lower case) is not one of them.
    bool apply_auth_keyword(const std::string& key, const std::string& keyword,
                            const std::vector<std::string>& args, std::string_view where);
    /// Session keywords (AcceptEnv, PermitTTY, ForceCommand, Subsystem,
    /// MaxSessions); false if `key` (lower case) is not one of them.
    bool apply_session_keyword(const std::string& key, const std::string& keyword,
                               const std::vector<std::string>& args, std::string_view where);

    /// Forwarding keywords (GatewayPorts, AllowTcpForwarding, PermitOpen,
    /// ..., ClientAliveCountMax); false if `key` is not one of them.
    bool apply_forwarding_keyword(const std::string& key, const std::string& keyword,
                                  const std::vector<std::string>& args, std::string_view where);
    /// Listener keywords (MaxStartups, PerSource*); false if `key` is not one of them.
    bool apply_daemon_keyword(const std::string& key, const std::string& keyword,
                              const std::vector<std::string>& args, std::string_view where);

    /// Issue F keywords (AddressFamily, UseDNS, SyslogFacility,
    /// ChrootDirectory, Allow/Deny*, unsupported features); false if `key`
    /// is not one of them.
    bool apply_access_keyword(const std::string& key, const std::string& keyword,
                              const std::vector<std::string>& args, std::string_view where);

    RawConfig m_raw;
    ConfigTier m_tier = ConfigTier::file;
    /// The tier that first set each list keyword: lower tiers are ignored.
    std::map<std::string, ConfigTier> m_list_tiers;
};

/// One address to listen on.
struct ListenEndpoint {
    std::string host;  ///< empty = all addresses (IPv4 and IPv6)
    uint16_t port = 22;
    bool operator==(const ListenEndpoint&) const = default;
};

/// What sessions may do (sshd_config(5) defaults).
struct SessionSettings {
    /// AcceptEnv patterns: env requests for other names are refused.
    std::vector<std::string> accept_env;
    /// SetEnv: "NAME=VALUE" set in every session, over the defaults, the
    /// client's (AcceptEnv) and authorized_keys environment=.
    std::vector<std::string> set_env;
    /// PermitTTY: pty-req allowed.
    bool permit_tty = true;
    /// ForceCommand: run instead of whatever the client asked for.
    std::optional<std::string> force_command;
    /// Subsystem name -> command.
    std::map<std::string, std::string> subsystems;
    /// MaxSessions: open session channels per connection.
    unsigned max_sessions = 10;
    /// ChrootDirectory pattern (%h, %u, %% not yet expanded); nullopt = none.
    std::optional<std::string> chroot_directory;
};

/// Effective settings after command line, file and defaults.
struct ServerConfig {
    std::vector<ListenEndpoint> listen;
    std::vector<std::string> host_keys;
    std::vector<std::string> authorized_keys_files;
    std::string pid_file;
    LogLevel log_level = LogLevel::info;
    /// True when no HostKey was given and the default files are used.
    bool default_host_keys = false;
    // Transport: algorithm lists in preference order (registry defaults
    // unless configured), compression offer, rekeying.
    std::vector<std::string> ciphers;
    std::vector<std::string> macs;
    std::vector<std::string> kex_algorithms;
    std::vector<std::string> host_key_algorithms;
    std::vector<std::string> pubkey_algorithms;
    std::vector<std::string> compression;
    crypto::RekeyLimit rekey_limit;
    /// ModuliFile if configured (else the search order of load_dh_groups()).
    std::optional<std::string> moduli_file;
    /// Groups for diffie-hellman-group-exchange (filled by load_dh_groups();
    /// empty = the built-in groups).
    std::vector<crypto::DhGroup> dh_groups;
    /// StrictModes: check ownership and modes of authorized_keys (default yes).
    bool strict_modes = true;
    /// PermitUserEnvironment: honour environment= key options (default no).
    bool permit_user_environment = false;
    /// AllowAgentForwarding: honour auth-agent-req@openssh.com (default yes).
    bool allow_agent_forwarding = true;
    /// PrintMotd: show /etc/motd at interactive logins (default yes).
    bool print_motd = true;
    /// TCPKeepAlive: TCP keepalive probes on the connection (SO_KEEPALIVE),
    /// so a peer that vanished is noticed (default yes).
    bool tcp_keep_alive = true;
    /// PrintLastLog: show the previous login from lastlog (default yes).
    bool print_last_log = true;
    /// Banner: file sent before authentication (RFC 4252 §5.4); empty = none.
    std::string banner;
    /// Authentication policy.
    AuthSettings auth;
    /// Session policy.
    SessionSettings session;
    /// Port forwarding policy and ClientAlive*.
    ForwardingSettings forwarding;
    /// Listener: MaxStartups, PerSourceMaxStartups, PerSourcePenalties, ...
    DaemonSettings daemon;
    /// SyslogFacility (upper case: AUTH, AUTHPRIV, DAEMON, USER, LOCAL0..7).
    std::string syslog_facility = "AUTH";
    /// AddressFamily (default any); already applied to `listen`.
    AddressFamily address_family = AddressFamily::any;
    /// UseDNS: look up the client's name (server/peer_name.h); default no.
    bool use_dns = false;
    /// AllowUsers, DenyUsers, AllowGroups, DenyGroups (server/access_lists.h).
    AccessLists access;
};

/// Parse a ListenAddress value: "host", "host:port", "[v6]", "[v6]:port", "v6".
/// Throws ConfigError (message without location) if malformed.
ListenAddress parse_listen_address(std::string_view value);

/// Parse a port number 1..65535; nullopt if malformed.
std::optional<uint16_t> parse_port(std::string_view text);

/// Fill the transport settings of `out` from `raw` and the registry defaults.
void resolve_transport(const RawConfig& raw, ServerConfig& out);

/// Fill the authentication settings of `out` from `raw` and sshd's defaults.
void resolve_auth(const RawConfig& raw, ServerConfig& out);

/// Fill the session settings of `out` from `raw` and sshd's defaults.
void resolve_session(const RawConfig& raw, ServerConfig& out);

/// Fill the forwarding settings of `out` from `raw` and sshd's defaults.
void resolve_forwarding(const RawConfig& raw, ServerConfig& out);

/// Fill the listener settings of `out` from `raw` and sshd's defaults.
void resolve_daemon(const RawConfig& raw, ServerConfig& out);

/// The methods PubkeyAuthentication, PasswordAuthentication and
/// KbdInteractiveAuthentication enable, in that order.
std::vector<std::string> enabled_auth_methods(const AuthSettings& settings);

/// Fill the issue F settings (AddressFamily, UseDNS, ChrootDirectory,
/// access lists) of `out` from `raw`.
void resolve_access(const RawConfig& raw, ServerConfig& out);

/// Merge options and parsed configuration, applying sshd's defaults.
ServerConfig resolve_config(const Options& options, const RawConfig& raw);

/// One configuration line, tokenized, with "file:line" for errors.
struct SourceLine {
    std::string keyword;
    std::vector<std::string> args;
    std::string where;
};

/// A Match block: its criteria and the lines up to the next Match (or the
/// end of the file holding it).
struct MatchBlock {
    std::vector<MatchCriterion> criteria;
    std::vector<SourceLine> lines;
};

/// The configuration as read (-o values, then the file with its Includes
/// expanded), kept so it can be resolved again for each connection.
struct ConfigSource {
    std::vector<SourceLine> overrides;
    std::vector<SourceLine> global;
    std::vector<MatchBlock> matches;
};

/// Read -o values and the configuration file (with Includes) and check
/// every line, Match blocks included. Throws ConfigError "file:line: ...".
ConfigSource load_config_source(const Options& options);

/// The effective configuration. With `connection`, lines of the Match blocks
/// whose criteria all match override the global ones (the first matching
/// block wins per keyword); -o values beat both. Without, Match blocks are
/// ignored (startup). Cheap: replays the stored lines (no file access; a
/// Match Group criterion reads the user's groups).
///
/// Fields that may change by Match (the keywords of
/// keyword_allowed_in_match()): auth (except use_pam), session (accept_env,
/// permit_tty, force_command, max_sessions, chroot_directory), forwarding,
/// access, authorized_keys_files, allow_agent_forwarding, banner, log_level,
/// rekey_limit, pubkey_algorithms.
ServerConfig resolve_config(const Options& options, const ConfigSource& source,
                            const ConnectionInfo* connection);

/// Read -o values and the configuration file named by `options` (a missing
/// default file means "all defaults"), then resolve without connection
/// (Match blocks checked, not applied). Throws ConfigError.
ServerConfig load_config(const Options& options);

/// Expand %h (home), %u (user) and %% in an AuthorizedKeysFile pattern and
/// make it absolute (relative paths are relative to home). nullopt on an
/// unknown token.
std::optional<std::string> expand_user_path(std::string_view pattern, std::string_view user,
                                            std::string_view home);

}  // namespace burrow::server
