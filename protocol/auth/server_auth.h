// Server side of user authentication (RFC 4252): the ssh-userauth service,
// "none" and "publickey" (query, then signed). Policy is the owner's: each
// attempt becomes an AuthRequest event, answered later by answer().
#pragma once

#include <optional>
#include <string>

#include "protocol/connection.h"
#include "protocol/transport/outbox.h"
#include "protocol/wire/reader.h"

namespace burrow::protocol::auth {

class ServerAuth {
public:
    ServerAuth(const Config& config, EventHandler& events, transport::Outbox& outbox)
        : m_config(config), m_events(events), m_outbox(outbox)
    {
    }

    void on_service_request(ByteView payload);
    void on_request(ByteView payload, ByteView session_id);
    /// Owner's verdict on the pending attempt.
    void answer(bool accept);

    bool awaiting_answer() const { return m_pending.has_value(); }
    bool authenticated() const { return m_authenticated; }
    const std::string& user() const { return m_user; }

private:
    struct Pending {
        std::string user;
        std::string algorithm;
        Bytes key_blob;
        bool verified = false;
    };

    void on_publickey(const std::string& user, wire::Reader& r, ByteView session_id);
    void send_failure();
    void fail_attempt();

    const Config& m_config;
    EventHandler& m_events;
    transport::Outbox& m_outbox;
    std::optional<Pending> m_pending;
    std::string m_user;
    unsigned m_failures = 0;
    bool m_service_accepted = false;
    bool m_authenticated = false;
};

}  // namespace burrow::protocol::auth
