// Server side of user authentication (RFC 4252): the ssh-userauth service,
// "none", "publickey" (query, then signed), "password" (§8) and
// "keyboard-interactive" (RFC 4256). Policy is the owner's: each attempt
// becomes an AuthRequest event, answered later by answer(); several
// factors (AuthenticationMethods) are partial successes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol/connection.h"
#include "protocol/transport/outbox.h"
#include "protocol/wire/reader.h"

namespace burrow::protocol::auth {

class ServerAuth {
public:
    ServerAuth(const Config& config, EventHandler& events, transport::Outbox& outbox)
        : m_config(config),
          m_events(events),
          m_outbox(outbox),
          m_methods(config.auth_methods),
          m_max_tries(config.max_auth_tries)
    {
    }

    void on_service_request(ByteView payload);
    void on_request(ByteView payload, ByteView session_id);
    /// SSH_MSG_USERAUTH_INFO_RESPONSE (RFC 4256 §3.4).
    void on_info_response(ByteView payload);
    /// Owner's verdict on the pending attempt.
    void answer(AuthVerdict verdict);
    /// Owner: prompts for the pending keyboard-interactive attempt.
    void send_info_request(const InfoRequest& request);
    void set_methods(std::vector<std::string> methods) { m_methods = std::move(methods); }
    /// The owner's MaxAuthTries once it knows the user (sshd_config Match).
    void set_max_tries(unsigned tries) { m_max_tries = tries; }
    void send_banner(std::string_view text);

    /// Input pauses while the owner decides (not while the client answers prompts).
    bool awaiting_answer() const { return m_pending.has_value() && !m_awaiting_client; }
    bool authenticated() const { return m_authenticated; }
    /// Runs the moment authentication succeeds, before the owner hears of
    /// it: delayed compression must start before the owner can send anything.
    void set_on_success(std::function<void()> hook) { m_on_success = std::move(hook); }
    const std::string& user() const { return m_user; }

private:
    struct Pending {
        std::string user;
        std::string method;
        std::string algorithm;
        Bytes key_blob;
        bool verified = false;
    };

    void on_publickey(const std::string& user, wire::Reader& r, ByteView session_id);
    void on_password(const std::string& user, wire::Reader& r);
    void on_keyboard_interactive(const std::string& user, wire::Reader& r);
    bool offered(const std::string& method) const;
    void succeed(const Pending& p);
    void send_failure(bool partial);
    void fail_attempt();

    const Config& m_config;
    EventHandler& m_events;
    transport::Outbox& m_outbox;
    std::vector<std::string> m_methods;
    std::optional<Pending> m_pending;
    bool m_awaiting_client = false;  ///< INFO_REQUEST sent, INFO_RESPONSE due
    size_t m_prompts_sent = 0;
    std::string m_user;
    unsigned m_max_tries;
    unsigned m_failures = 0;
    bool m_service_accepted = false;
    bool m_authenticated = false;
    std::function<void()> m_on_success;
};

}  // namespace burrow::protocol::auth
