// One Stream per forwarded channel, through its stages: handshake (SOCKS
// bytes from the channel), connecting (resolve + connect here), replying
// (the SOCKS reply waits for the channel window), relaying, or closing
// after a refusal. Channel data that follows the request is held without
// being consumed until the relay writes it, so the channel window (RFC 4254
// §5.2) bounds it.
#include "client/reverse_dynamic.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "client/socks.h"

namespace burrow::client {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

socks::Reply reply_for(const boost::system::error_code& ec)
{
    if (!ec) {
        return socks::Reply::success;
    }
    if (ec == net::error::connection_refused) {
        return socks::Reply::connection_refused;
    }
    if (ec == net::error::network_unreachable) {
        return socks::Reply::network_unreachable;
    }
    if (ec == net::error::host_unreachable || ec == net::error::host_not_found ||
        ec == net::error::host_not_found_try_again || ec == net::error::no_data) {
        return socks::Reply::host_unreachable;
    }
    return socks::Reply::general_failure;
}

}  // namespace

struct ReverseDynamicForwarder::Stream {
    enum class Stage { handshake, connecting, replying, relaying, closing };
    Stream(protocol::ChannelId channel, const net::any_io_executor& ex)
        : id(channel), socket(ex), resolver(ex)
    {
    }
    const protocol::ChannelId id;
    Stage stage = Stage::handshake;
    socks::Handshake handshake;
    Bytes out;    ///< SOCKS bytes for the channel, not yet sent
    Bytes early;  ///< channel data after the request, for the target
    bool channel_eof = false;
    bool close_sent = false;
    bool gone = false;  ///< the channel closed: nothing more is done
    tcp::socket socket;
    tcp::resolver resolver;
    std::shared_ptr<protocol::asio::ChannelRelay> relay;
};

ReverseDynamicForwarder::ReverseDynamicForwarder(const net::any_io_executor& executor,
                                                 const Logger& log, Defer defer)
    : m_executor(executor), m_log(log), m_defer(std::move(defer))
{
}

ReverseDynamicForwarder::~ReverseDynamicForwarder()
{
    *m_alive = false;
    close_all();
}

void ReverseDynamicForwarder::accept(const protocol::ChannelOpenRequest& request)
{
    m_log.debug1("reverse dynamic forward: channel " + std::to_string(request.id) + " from " +
                 request.originator_ip + " port " + std::to_string(request.originator_port));
    m_streams[request.id] = std::make_shared<Stream>(request.id, m_executor);
    const protocol::ChannelId id = request.id;
    m_defer([this, id] { m_conn->accept_channel(id); });
}

bool ReverseDynamicForwarder::on_data(protocol::ChannelId id, ByteView data)
{
    const auto found = m_streams.find(id);
    if (found == m_streams.end()) {
        return false;
    }
    Stream& stream = *found->second;
    if (stream.relay) {
        stream.relay->on_data(data);
    } else if (stream.stage == Stream::Stage::handshake) {
        on_handshake_data(found->second, data);
    } else if (stream.stage == Stream::Stage::connecting) {
        stream.early.insert(stream.early.end(), data.begin(), data.end());
    } else {
        m_conn->consume_channel_data(id, data.size());  // refused: dropped
    }
    return true;
}

void ReverseDynamicForwarder::on_handshake_data(const std::shared_ptr<Stream>& stream,
                                                ByteView data)
{
    socks::Handshake& hs = stream->handshake;
    const socks::Handshake::State state = hs.feed(data);
    const Bytes out = hs.take_output();
    stream->out.insert(stream->out.end(), out.begin(), out.end());
    size_t handshake_bytes = data.size();
    if (state == socks::Handshake::State::request_ready) {
        // Bytes after the request belong to the target: the relay consumes
        // them once written, the rest is consumed now.
        stream->early = hs.take_leftover();
        handshake_bytes -= std::min(handshake_bytes, stream->early.size());
        stream->stage = Stream::Stage::connecting;
        connect(stream);
    } else if (state == socks::Handshake::State::failed) {
        m_log.debug1("reverse dynamic forward: channel " + std::to_string(stream->id) + ": " +
                     hs.failure());
        stream->stage = Stream::Stage::closing;
    }
    m_conn->consume_channel_data(stream->id, handshake_bytes);
    m_defer([this, alive = m_alive, stream] {
        if (*alive) {
            flush(stream);
        }
    });
}

void ReverseDynamicForwarder::connect(const std::shared_ptr<Stream>& stream)
{
    const socks::Handshake& hs = stream->handshake;
    m_log.debug1("reverse dynamic forward: connect to " + hs.host() + " port " +
                 std::to_string(hs.port()));
    stream->resolver.async_resolve(
        hs.host(), std::to_string(hs.port()), tcp::resolver::numeric_service,
        [this, alive = m_alive, stream](const boost::system::error_code& ec,
                                        const tcp::resolver::results_type& results) {
            if (!*alive || stream->gone) {
                return;
            }
            if (ec) {
                on_connected(stream, ec);
                return;
            }
            net::async_connect(
                stream->socket, results,
                [this, alive, stream](const boost::system::error_code& e, const tcp::endpoint&) {
                    if (*alive && !stream->gone) {
                        on_connected(stream, e);
                    }
                });
        });
}

void ReverseDynamicForwarder::on_connected(const std::shared_ptr<Stream>& stream,
                                           const boost::system::error_code& ec)
{
    const socks::Handshake& hs = stream->handshake;
    const Bytes reply = hs.reply_bytes(reply_for(ec));
    stream->out.insert(stream->out.end(), reply.begin(), reply.end());
    if (ec) {
        m_log.info("reverse dynamic forward: connect to " + hs.host() + " port " +
                   std::to_string(hs.port()) + " failed: " + ec.message());
        stream->stage = Stream::Stage::closing;
        m_conn->consume_channel_data(stream->id, stream->early.size());
        stream->early.clear();
    } else {
        stream->stage = Stream::Stage::replying;
        stream->relay = std::make_shared<protocol::asio::ChannelRelay>(
            protocol::asio::ChannelRelay::Socket(std::move(stream->socket)), *m_conn, stream->id,
            [this] { m_defer([] {}); });
        // Held until the relay runs; it consumes them once written.
        stream->relay->on_data(stream->early);
        stream->early.clear();
        if (stream->channel_eof) {
            stream->relay->on_eof();
        }
    }
    m_defer([this, alive = m_alive, stream] {
        if (*alive) {
            flush(stream);
        }
    });
}

void ReverseDynamicForwarder::flush(const std::shared_ptr<Stream>& stream)
{
    if (stream->gone) {
        return;
    }
    while (!stream->out.empty()) {
        const size_t sent = m_conn->send_data(stream->id, stream->out);
        if (sent == 0) {
            return;  // on_window_available() brings us back
        }
        stream->out.erase(stream->out.begin(), stream->out.begin() + static_cast<ptrdiff_t>(sent));
    }
    if (stream->stage == Stream::Stage::replying) {
        stream->stage = Stream::Stage::relaying;
        stream->relay->start();
    } else if (stream->stage == Stream::Stage::closing && !stream->close_sent) {
        stream->close_sent = true;
        m_conn->close_channel(stream->id);
    }
}

bool ReverseDynamicForwarder::on_eof(protocol::ChannelId id)
{
    const auto found = m_streams.find(id);
    if (found == m_streams.end()) {
        return false;
    }
    const std::shared_ptr<Stream> stream = found->second;
    stream->channel_eof = true;
    if (stream->relay) {
        stream->relay->on_eof();
    } else if (stream->stage == Stream::Stage::handshake) {
        // RFC 4254 §5.3: no more data; the request can never complete.
        stream->stage = Stream::Stage::closing;
        m_defer([this, alive = m_alive, stream] {
            if (*alive) {
                flush(stream);
            }
        });
    }
    return true;
}

bool ReverseDynamicForwarder::on_window_available(protocol::ChannelId id)
{
    const auto found = m_streams.find(id);
    if (found == m_streams.end()) {
        return false;
    }
    const std::shared_ptr<Stream> stream = found->second;
    if (stream->stage == Stream::Stage::relaying) {
        stream->relay->on_window_available();
    } else {
        m_defer([this, alive = m_alive, stream] {
            if (*alive) {
                flush(stream);
            }
        });
    }
    return true;
}

bool ReverseDynamicForwarder::on_closed(protocol::ChannelId id)
{
    const auto found = m_streams.find(id);
    if (found == m_streams.end()) {
        return false;
    }
    const std::shared_ptr<Stream> stream = found->second;
    m_streams.erase(found);
    stream->gone = true;
    stream->resolver.cancel();
    boost::system::error_code ignored;
    stream->socket.close(ignored);
    if (stream->relay) {
        // The id is free from now on; the relay may still write what it holds.
        std::erase_if(m_draining, [](const auto& weak) { return weak.expired(); });
        m_draining.push_back(stream->relay);
        stream->relay->on_closed();
    }
    return true;
}

void ReverseDynamicForwarder::close_all()
{
    boost::system::error_code ignored;
    for (auto& [id, stream] : m_streams) {
        stream->gone = true;
        stream->resolver.cancel();
        stream->socket.close(ignored);
        if (stream->relay) {
            stream->relay->shutdown();
        }
    }
    m_streams.clear();
    for (const auto& weak : m_draining) {
        if (const auto relay = weak.lock()) {
            relay->shutdown();
        }
    }
    m_draining.clear();
}

}  // namespace burrow::client
