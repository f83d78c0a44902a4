// Agent forwarding, server side (OpenSSH PROTOCOL §2.1 and PROTOCOL.agent):
// after an "auth-agent-req@openssh.com" session request, burrowd listens on
// a Unix socket in a fresh private directory owned by the user, exported to
// the session as SSH_AUTH_SOCK. Each connection to it becomes an
// "auth-agent@openssh.com" channel to the client, relayed by ChannelRelay.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/asio/channel_relay.h"
#include "protocol/asio/driver.h"
#include "protocol/asio/relay_table.h"
#include "protocol/connection.h"
#include "server/user.h"

namespace burrow::server {

/// Session channel request asking for a forwarded agent (PROTOCOL §2.1).
inline constexpr std::string_view agent_request_type = "auth-agent-req@openssh.com";
/// Channel type opened to the client for each agent connection.
inline constexpr std::string_view agent_channel_type = "auth-agent@openssh.com";

/// One connection's forwarded agent socket and its relays.
class AgentForwarding final {
public:
    /// `conn` and `driver` must outlive this object.
    AgentForwarding(const boost::asio::any_io_executor& executor, protocol::Connection& conn,
                    protocol::asio::Driver& driver);
    /// Closes everything and removes the socket and its directory.
    ~AgentForwarding();
    AgentForwarding(const AgentForwarding&) = delete;
    AgentForwarding& operator=(const AgentForwarding&) = delete;

    /// Create /tmp/ssh-XXXXXXXXXX/agent.<pid> for `user` and listen on it.
    /// Returns an error text, empty on success. Once per connection, as
    /// sshd(8) does: a second request is refused.
    std::string start(const UserInfo& user);
    /// The listening socket's path (SSH_AUTH_SOCK), empty unless start()
    /// succeeded.
    const std::string& socket_path() const { return m_path; }

    /// Channel events; each returns false if `id` is not an agent channel.
    bool on_open_result(protocol::ChannelId id, bool ok);
    bool on_data(protocol::ChannelId id, ByteView data);
    bool on_eof(protocol::ChannelId id);
    bool on_window_available(protocol::ChannelId id);
    bool on_closed(protocol::ChannelId id);

    /// The connection is ending: stop listening, close every agent
    /// connection (without touching the connection) and remove the files.
    void stop();

private:
    void accept_next();
    void on_accepted(boost::asio::local::stream_protocol::socket socket);
    void remove_files();

    protocol::Connection& m_conn;
    protocol::asio::Driver& m_driver;
    boost::asio::local::stream_protocol::acceptor m_acceptor;
    /// Accepted connections whose channel is not confirmed yet.
    std::map<protocol::ChannelId, boost::asio::local::stream_protocol::socket> m_pending;
    protocol::asio::RelayTable m_relays;
    /// Accept handlers check this: they may run after we are gone.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::string m_dir;
    std::string m_name;  ///< socket file name inside m_dir
    std::string m_path;
    int m_dir_fd = -1;
    bool m_requested = false;
};

}  // namespace burrow::server
