// authorized_keys key options (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"): the
// comma-separated option list in front of a key, and the checks burrowd
// makes with them (from= source patterns, expiry-time=).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::server {

/// The options of one authorized_keys entry. Defaults allow everything.
struct KeyOptions {
    std::optional<std::string> command;      ///< command="..." (forced command)
    std::vector<std::string> environment;    ///< environment="NAME=value", in order
    std::optional<std::string> from;         ///< from="pattern-list"
    std::vector<std::string> permit_open;    ///< permitopen="host:port"
    std::vector<std::string> permit_listen;  ///< permitlisten="[host:]port"
    std::optional<std::string> principals;   ///< principals="..." (certificates)
    std::optional<int64_t> expiry_time;      ///< expiry-time=, seconds since the epoch
    bool agent_forwarding = true;
    bool port_forwarding = true;
    bool pty = true;
    bool user_rc = true;
    bool x11_forwarding = true;
    bool cert_authority = false;
    bool no_touch_required = false;
    bool verify_required = false;
};

/// Length of the option list at the start of `line` (up to the first space
/// or tab outside double quotes); nullopt if a quote is not terminated.
std::optional<size_t> option_list_length(std::string_view line);

/// Parse an option list such as `no-pty,command="a \"b\""`. On error returns
/// nullopt and sets `error` (e.g. `unknown option "foo"`).
std::optional<KeyOptions> parse_key_options(std::string_view list, std::string& error);

/// Parse expiry-time's "YYYYMMDD[HHMM[SS]]" (local time) or the same with a
/// trailing "Z" (UTC) into seconds since the epoch.
std::optional<int64_t> parse_expiry_time(std::string_view text);

/// Does one address pattern match? "addr/masklen" is a CIDR block (IPv4 or
/// IPv6) matched against `ip`; otherwise `*` and `?` wildcards are matched
/// against `ip` and, if given, `host` (case-insensitively).
bool match_source_pattern(std::string_view pattern, std::string_view ip, std::string_view host);

/// from= semantics: comma-separated patterns, "!pattern" negates. Matches
/// when some positive pattern matches and no negated one does.
bool match_source_list(std::string_view list, std::string_view ip, std::string_view host);

/// Why a connection from `ip` (named `host` when UseDNS verified a name) at
/// `now` may not use a key with these options; empty when it may.
std::string refuse_reason(const KeyOptions& options, std::string_view ip, int64_t now,
                          std::string_view host = {});

/// Apply a key's options to a session about to start: command= replaces
/// the requested `command` and exports the client's one (if any) as
/// SSH_ORIGINAL_COMMAND; environment= entries are set (replacing existing
/// ones) only when `permit_user_environment` (sshd_config(5)
/// PermitUserEnvironment) is on.
void apply_session_options(const KeyOptions& options, bool permit_user_environment,
                           std::vector<std::string>& env, std::optional<std::string>& command);

/// Whether letters must match in case.
enum class LetterCase { ignore, exact };

/// Whole-string wildcard match ('*' any run, '?' one character). Host names
/// compare case-insensitively (from= patterns, PermitOpen/PermitListen
/// hosts, Match Host); user and group names exactly (Match User/Group).
bool wildcard_match(std::string_view pattern, std::string_view text,
                    LetterCase letters = LetterCase::ignore);

}  // namespace burrow::server
