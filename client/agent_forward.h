// Agent forwarding, client side (OpenSSH PROTOCOL §2.1 / the agent draft):
// each "auth-agent@openssh.com" channel the server opens is relayed to the
// local agent at $SSH_AUTH_SOCK by a ChannelRelay (bytes both ways, within
// the channel windows).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/log.h"
#include "crypto/bytes.h"
#include "protocol/asio/channel_relay.h"
#include "protocol/asio/relay_table.h"
#include "protocol/connection.h"
#include "protocol/events.h"

namespace burrow::client {

/// Channel type the server opens for each agent connection.
inline constexpr const char* agent_channel_type = "auth-agent@openssh.com";
/// Session channel request asking the server to offer an agent socket.
inline constexpr const char* agent_request_type = "auth-agent-req@openssh.com";

class AgentForwarder {
public:
    /// Runs a command on the connection after the current event and wakes the driver.
    using Defer = std::function<void(std::function<void()>)>;

    /// `enabled`: ForwardAgent; when false every agent channel is refused.
    AgentForwarder(const boost::asio::any_io_executor& executor, const Logger& log, bool enabled,
                   Defer defer);
    ~AgentForwarder();
    AgentForwarder(const AgentForwarder&) = delete;
    AgentForwarder& operator=(const AgentForwarder&) = delete;

    void attach(protocol::Connection& conn) { m_conn = &conn; }

    /// A channel open from the server; true if it was an agent channel
    /// (accepted or refused here).
    bool on_open_request(const protocol::ChannelOpenRequest& request);
    /// Channel events; false if `id` is not one of ours.
    bool on_data(protocol::ChannelId id, ByteView data);
    bool on_eof(protocol::ChannelId id);
    bool on_closed(protocol::ChannelId id);
    bool on_window_available(protocol::ChannelId id);
    /// Close every local agent connection (the session is ending).
    void close_all();

private:
    boost::asio::any_io_executor m_executor;
    const Logger& m_log;
    bool m_enabled;
    Defer m_defer;
    protocol::Connection* m_conn = nullptr;
    protocol::asio::RelayTable m_relays;
};

}  // namespace burrow::client
