#include "client/agent_forward.h"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <cstdlib>

namespace burrow::client {

namespace {

// RFC 4254 §5.1 reason codes for refusing a channel.
constexpr uint32_t open_administratively_prohibited = 1;
constexpr uint32_t open_connect_failed = 2;

/// Bytes read from the agent at a time.
constexpr size_t read_chunk = 16 * 1024;

}  // namespace

struct AgentForwarder::Relay {
    Relay(const boost::asio::any_io_executor& executor, protocol::ChannelId channel)
        : socket(executor), id(channel)
    {
    }

    boost::asio::local::stream_protocol::socket socket;
    protocol::ChannelId id;
    Bytes read_buffer = Bytes(read_chunk);
    Bytes to_channel;  ///< read from the agent, waiting for window
    Bytes to_agent;    ///< channel data not yet written to the agent
    Bytes writing;     ///< the buffer of the write in progress
    bool agent_eof = false;
    bool channel_eof = false;
    bool closing = false;
};

AgentForwarder::AgentForwarder(const boost::asio::any_io_executor& executor, const Logger& log,
                               bool enabled, Defer defer)
    : m_executor(executor), m_log(log), m_enabled(enabled), m_defer(std::move(defer))
{
}

AgentForwarder::~AgentForwarder()
{
    close_all();
}

void AgentForwarder::close_all()
{
    for (auto& [id, relay] : m_relays) {
        boost::system::error_code ignored;
        relay->closing = true;
        relay->socket.close(ignored);
    }
}

bool AgentForwarder::on_open_request(const protocol::ChannelOpenRequest& request)
{
    if (request.type != agent_channel_type) {
        return false;
    }
    const protocol::ChannelId id = request.id;
    const char* path = std::getenv("SSH_AUTH_SOCK");
    // A server may only use our agent if we asked to forward it (ssh(1) -A).
    if (!m_enabled || path == nullptr || *path == '\0') {
        m_log.debug1("refusing agent channel " + std::to_string(id) +
                     (m_enabled ? ": no local agent" : ": agent forwarding is off"));
        const uint32_t code = m_enabled ? open_connect_failed : open_administratively_prohibited;
        m_defer([this, id, code] { m_conn->reject_channel(id, code, "agent not available"); });
        return true;
    }
    auto relay = std::make_shared<Relay>(m_executor, id);
    boost::system::error_code ec;
    relay->socket.connect(boost::asio::local::stream_protocol::endpoint(path), ec);
    if (ec) {
        m_log.debug1("cannot connect to the local agent: " + ec.message());
        m_defer(
            [this, id] { m_conn->reject_channel(id, open_connect_failed, "agent unreachable"); });
        return true;
    }
    m_log.debug1("agent channel " + std::to_string(id) + " connected to the local agent");
    m_relays[id] = relay;
    m_defer([this, relay] {
        m_conn->accept_channel(relay->id);
        start_reading(relay);
    });
    return true;
}

void AgentForwarder::start_reading(const std::shared_ptr<Relay>& relay)
{
    if (relay->closing || relay->agent_eof) {
        return;
    }
    relay->socket.async_read_some(
        boost::asio::buffer(relay->read_buffer),
        [this, relay](const boost::system::error_code& ec, size_t n) {
            if (relay->closing) {
                return;
            }
            m_defer([this, relay, ec, n] {
                if (ec) {
                    relay->agent_eof = true;
                } else {
                    relay->to_channel.insert(
                        relay->to_channel.end(), relay->read_buffer.begin(),
                        relay->read_buffer.begin() + static_cast<std::ptrdiff_t>(n));
                }
                push_to_channel(relay);
            });
        });
}

void AgentForwarder::push_to_channel(const std::shared_ptr<Relay>& relay)
{
    if (relay->closing) {
        return;
    }
    if (!relay->to_channel.empty()) {
        // Bounded by the server's window; on_window_available() resumes.
        const size_t sent = m_conn->send_data(relay->id, relay->to_channel);
        relay->to_channel.erase(relay->to_channel.begin(),
                                relay->to_channel.begin() + static_cast<std::ptrdiff_t>(sent));
        if (!relay->to_channel.empty()) {
            return;
        }
    }
    if (relay->agent_eof) {
        // The agent hung up: end the channel (RFC 4254 §5.3).
        relay->closing = true;
        m_conn->send_eof(relay->id);
        m_conn->close_channel(relay->id);
        return;
    }
    start_reading(relay);
}

void AgentForwarder::start_writing(const std::shared_ptr<Relay>& relay)
{
    if (relay->closing || !relay->writing.empty() || relay->to_agent.empty()) {
        return;
    }
    relay->writing.swap(relay->to_agent);
    boost::asio::async_write(relay->socket, boost::asio::buffer(relay->writing),
                             [this, relay](const boost::system::error_code& ec, size_t n) {
                                 if (relay->closing) {
                                     return;
                                 }
                                 m_defer([this, relay, ec, n] {
                                     relay->writing.clear();
                                     if (ec) {
                                         relay->agent_eof = true;
                                         push_to_channel(relay);
                                         return;
                                     }
                                     // Only now reopen the window: the agent has taken the bytes.
                                     m_conn->consume_channel_data(relay->id, n);
                                     start_writing(relay);
                                     if (relay->channel_eof && relay->writing.empty()) {
                                         boost::system::error_code ignored;
                                         relay->socket.shutdown(
                                             boost::asio::socket_base::shutdown_send, ignored);
                                     }
                                 });
                             });
}

bool AgentForwarder::on_data(protocol::ChannelId id, ByteView data)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    const std::shared_ptr<Relay> relay = found->second;
    relay->to_agent.insert(relay->to_agent.end(), data.begin(), data.end());
    m_defer([this, relay] { start_writing(relay); });
    return true;
}

bool AgentForwarder::on_eof(protocol::ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    found->second->channel_eof = true;
    if (found->second->writing.empty() && found->second->to_agent.empty()) {
        boost::system::error_code ignored;
        found->second->socket.shutdown(boost::asio::socket_base::shutdown_send, ignored);
    }
    return true;
}

bool AgentForwarder::on_closed(protocol::ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    boost::system::error_code ignored;
    found->second->closing = true;
    found->second->socket.close(ignored);
    m_relays.erase(found);
    return true;
}

bool AgentForwarder::on_window_available(protocol::ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    const std::shared_ptr<Relay> relay = found->second;
    m_defer([this, relay] { push_to_channel(relay); });
    return true;
}

}  // namespace burrow::client
