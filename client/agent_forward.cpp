#include "client/agent_forward.h"

#include <boost/asio/local/stream_protocol.hpp>
#include <cstdlib>

namespace burrow::client {

namespace {

// RFC 4254 §5.1 reason codes for refusing a channel.
constexpr uint32_t open_administratively_prohibited = 1;
constexpr uint32_t open_connect_failed = 2;

}  // namespace

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
    m_relays.shutdown_all();
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
    boost::asio::local::stream_protocol::socket socket(m_executor);
    boost::system::error_code ec;
    socket.connect(boost::asio::local::stream_protocol::endpoint(path), ec);
    if (ec) {
        m_log.debug1("cannot connect to the local agent: " + ec.message());
        m_defer(
            [this, id] { m_conn->reject_channel(id, open_connect_failed, "agent unreachable"); });
        return true;
    }
    m_log.debug1("agent channel " + std::to_string(id) + " connected to the local agent");
    // Commands issued by the relay's own I/O wake the driver through a
    // deferred no-op (m_defer notifies it after running the action).
    auto relay = std::make_shared<protocol::asio::ChannelRelay>(
        protocol::asio::ChannelRelay::Socket(std::move(socket)), *m_conn, id,
        [this] { m_defer([] {}); });
    m_relays.add(relay);
    m_defer([this, relay] {
        m_conn->accept_channel(relay->id());
        relay->start();
    });
    return true;
}

bool AgentForwarder::on_data(protocol::ChannelId id, ByteView data)
{
    return m_relays.on_data(id, data);
}

bool AgentForwarder::on_eof(protocol::ChannelId id)
{
    return m_relays.on_eof(id);
}

bool AgentForwarder::on_closed(protocol::ChannelId id)
{
    // The id is free from now on; the relay may still write what it holds.
    return m_relays.on_closed(id);
}

bool AgentForwarder::on_window_available(protocol::ChannelId id)
{
    return m_relays.on_window_available(id);
}

}  // namespace burrow::client
