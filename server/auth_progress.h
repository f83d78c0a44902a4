// The AuthenticationMethods state machine (sshd_config(5)): which methods to
// offer next, and whether a successful method completes authentication or
// is one factor of several.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/events.h"

namespace burrow::server {

class AuthProgress {
public:
    /// `lists` as AuthSettings::authentication_methods (empty = any single
    /// method); `enabled` the methods the configuration enables. Lists naming
    /// a disabled method can never complete and are dropped.
    AuthProgress(const std::vector<std::vector<std::string>>& lists,
                 std::vector<std::string> enabled);

    /// Methods to list in USERAUTH_FAILURE now: the next method of every
    /// list still possible (RFC 4252 §5.1 "authentications that can continue").
    std::vector<std::string> offered() const;

    /// Is `method` acceptable now (it is next in some list)?
    bool allows(std::string_view method) const;

    /// Record that `method` succeeded: accept when a list is complete,
    /// partial when more factors are needed. reject if it was not allowed.
    protocol::AuthVerdict complete(std::string_view method);

    /// Forget the completed methods (e.g. the client changed the user name).
    void reset();

private:
    std::vector<std::vector<std::string>> m_initial;
    std::vector<std::vector<std::string>> m_remaining;  ///< per list, methods still to do
    std::vector<std::string> m_enabled;
    bool m_any = false;
};

}  // namespace burrow::server
