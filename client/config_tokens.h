// ssh_config(5) "TOKENS": %-expansion in IdentityFile, UserKnownHostsFile,
// IdentityAgent, Match exec and HostName.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace burrow::client {

/// The values the tokens stand for.
struct TokenValues {
    std::string host;           ///< %h: the remote host name (after HostName)
    std::string original_host;  ///< %n: the name given on the command line
    std::string port;           ///< %p
    std::string remote_user;    ///< %r
    std::string local_user;     ///< %u
    std::string home;           ///< %d: local home directory
    std::string local_host;     ///< %l (full) and %L (up to the first dot)
    std::string uid;            ///< %i
};

/// Expand %h %n %p %r %u %d %l %L %i %k and %%. nullopt (and `error` set)
/// for an unknown token or a trailing '%', as ssh(1) refuses them.
std::optional<std::string> expand_tokens(std::string_view text, const TokenValues& values,
                                         std::string& error);

/// Only check that every token in `text` is known (for the config parser).
std::optional<std::string> check_tokens(std::string_view text);

/// Token values for this process: local host name, uid.
TokenValues local_token_values(std::string_view home, std::string_view local_user);

}  // namespace burrow::client
