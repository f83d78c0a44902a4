// Remote forwarding (-R) and ServerAliveInterval keepalives of the
// ForwardManager (client/forward_manager.h).
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include "client/auth_flow.h"
#include "client/forward_manager.h"

namespace burrow::client {

namespace {

// RFC 4254 §5.1 reason codes for refusing a channel.
constexpr uint32_t open_administratively_prohibited = 1;
constexpr uint32_t open_connect_failed = 2;

/// The address sent in tcpip-forward (RFC 4254 §7.1) for a -R bind address,
/// as ssh(1): none means "localhost", "*" means every address ("").
std::string remote_bind_address(const ForwardSpec& spec)
{
    if (!spec.listen_host) {
        return "localhost";
    }
    return *spec.listen_host == "*" ? std::string() : *spec.listen_host;
}

std::string listen_what(const ForwardSpec& spec)
{
    return spec.listens_on_path() ? "listen path " + spec.listen_path
                                  : "listen port " + std::to_string(spec.listen_port);
}

}  // namespace

void ForwardManager::request_remote(const ForwardSpec& spec, bool initial)
{
    const size_t index = m_remotes.size();
    Remote remote;
    remote.spec = spec;
    m_remotes.push_back(std::move(remote));
    if (spec.listens_on_path()) {
        // OpenSSH PROTOCOL §2.4: streamlocal-forward@openssh.com.
        m_conn->request_streamlocal_forward(spec.listen_path);
    } else {
        m_conn->request_tcpip_forward(remote_bind_address(spec), spec.listen_port);
    }
    m_pending_replies.push_back(PendingReply{PendingReply::Kind::remote_forward, index, initial});
    if (initial) {
        ++m_unanswered_initial;
    }
}

void ForwardManager::on_global_reply(const protocol::GlobalReply& reply)
{
    // Any answer shows the server is alive (ServerAliveCountMax counts
    // keepalives without one).
    m_keepalives_unanswered = 0;
    if (m_pending_replies.empty()) {
        m_log.debug1("unexpected global request reply");
        return;
    }
    const PendingReply pending = m_pending_replies.front();
    m_pending_replies.pop_front();
    switch (pending.kind) {
        case PendingReply::Kind::keepalive:
            break;
        case PendingReply::Kind::cancel:
            m_log.debug1(reply.success ? "remote forward cancelled"
                                       : "the server refused to cancel a remote forward");
            break;
        case PendingReply::Kind::remote_forward:
            on_remote_reply(pending, reply);
            break;
    }
}

void ForwardManager::on_remote_reply(const PendingReply& pending,
                                     const protocol::GlobalReply& reply)
{
    Remote& remote = m_remotes[pending.remote];
    remote.answered = true;
    const ForwardSpec& spec = remote.spec;
    if (reply.success) {
        remote.bound_port = reply.bound_port.value_or(spec.listen_port);
        if (!spec.listens_on_path() && spec.listen_port == 0) {
            // ssh(1)'s line; scripts read the port from it.
            std::string target = spec.is_dynamic()
                                     ? std::string("SOCKS")
                                     : spec.connect_host + ":" + std::to_string(spec.connect_port);
            if (spec.connects_to_path()) {
                target = spec.connect_path;
            }
            m_log.info("Allocated port " + std::to_string(*remote.bound_port) +
                       " for remote forward to " + target);
        }
        m_log.debug1("remote forward success for: " + describe_listen(spec));
    } else if (m_settings.exit_on_forward_failure) {
        m_log.error("Error: remote port forwarding failed for " + listen_what(spec));
        m_fail();
        return;
    } else {
        m_log.info("Warning: remote port forwarding failed for " + listen_what(spec));
    }
    if (pending.initial && --m_unanswered_initial == 0) {
        m_ready();
    }
}

const ForwardManager::Remote* ForwardManager::match_remote(
    const protocol::ChannelOpenRequest& request) const
{
    const bool streamlocal = request.type == "forwarded-streamlocal@openssh.com";
    const Remote* by_port = nullptr;
    for (const Remote& remote : m_remotes) {
        if (!remote.bound_port || remote.cancelled) {
            continue;
        }
        if (streamlocal) {
            if (remote.spec.listen_path == request.socket_path) {
                return &remote;
            }
            continue;
        }
        if (remote.spec.listens_on_path() || *remote.bound_port != request.port) {
            continue;
        }
        // RFC 4254 §7.2: the address that was connected names the forward
        // when several share a port.
        if (remote_bind_address(remote.spec) == request.host) {
            return &remote;
        }
        by_port = by_port ? by_port : &remote;
    }
    return by_port;
}

bool ForwardManager::on_open_request(const protocol::ChannelOpenRequest& request)
{
    if (request.type != "forwarded-tcpip" && request.type != "forwarded-streamlocal@openssh.com") {
        return false;
    }
    const protocol::ChannelId id = request.id;
    const Remote* remote = m_closed ? nullptr : match_remote(request);
    if (remote == nullptr) {
        // Only forwards we asked for may be opened towards us.
        m_log.error("WARNING: Server requests forwarding for unknown listen " +
                    (request.type == "forwarded-tcpip" ? "port " + std::to_string(request.port)
                                                       : "path " + request.socket_path));
        m_defer([this, id] {
            m_conn->reject_channel(id, open_administratively_prohibited, "unknown forward");
        });
        return true;
    }
    if (remote->spec.is_dynamic()) {
        m_reverse.accept(request);  // -R [bind:]port: a SOCKS stream
        return true;
    }
    m_log.debug1("channel " + std::to_string(id) + ": forwarded connection from " +
                 request.originator_ip + " port " + std::to_string(request.originator_port));
    connect_remote_target(id, remote->spec);
    return true;
}

void ForwardManager::connect_remote_target(protocol::ChannelId id, const ForwardSpec& spec)
{
    const auto alive = m_alive;
    const auto done = [this, id, alive](ForwardListener::Socket socket, const std::string& target,
                                        const boost::system::error_code& ec) {
        if (!*alive) {
            return;
        }
        if (ec) {
            m_log.error("connect_to " + target + ": failed: " + ec.message());
            m_defer([this, id, message = ec.message()] {
                m_conn->reject_channel(id, open_connect_failed, message);
            });
            return;
        }
        auto shared = std::make_shared<ForwardListener::Socket>(std::move(socket));
        m_defer([this, id, shared] {
            m_conn->accept_channel(id);
            start_relay(id, std::move(*shared));
        });
    };
    if (spec.connects_to_path()) {
        auto socket = std::make_shared<boost::asio::local::stream_protocol::socket>(m_executor);
        socket->async_connect(
            boost::asio::local::stream_protocol::endpoint(spec.connect_path),
            [socket, done, path = spec.connect_path](const boost::system::error_code& ec) {
                done(ForwardListener::Socket(std::move(*socket)), path, ec);
            });
        return;
    }
    auto resolver = std::make_shared<boost::asio::ip::tcp::resolver>(m_executor);
    const std::string target = spec.connect_host + " port " + std::to_string(spec.connect_port);
    resolver->async_resolve(
        spec.connect_host, std::to_string(spec.connect_port),
        [this, resolver, done, target](
            const boost::system::error_code& ec,
            const boost::asio::ip::tcp::resolver::results_type& results) {
            auto socket = std::make_shared<boost::asio::ip::tcp::socket>(m_executor);
            if (ec) {
                done(ForwardListener::Socket(m_executor), target, ec);
                return;
            }
            boost::asio::async_connect(
                *socket, results,
                [socket, done, target](const boost::system::error_code& connect_ec,
                                       const boost::asio::ip::tcp::endpoint&) {
                    done(ForwardListener::Socket(std::move(*socket)), target, connect_ec);
                });
        });
}

std::string ForwardManager::cancel_remote(const ForwardSpec& spec)
{
    for (Remote& remote : m_remotes) {
        if (remote.cancelled || !remote.bound_port) {
            continue;
        }
        const bool same =
            spec.listens_on_path()
                ? remote.spec.listen_path == spec.listen_path
                : !remote.spec.listens_on_path() && *remote.bound_port == spec.listen_port &&
                      (!spec.listen_host || spec.listen_host == remote.spec.listen_host);
        if (!same) {
            continue;
        }
        remote.cancelled = true;
        if (remote.spec.listens_on_path()) {
            m_conn->cancel_streamlocal_forward(remote.spec.listen_path);
        } else {
            // RFC 4254 §7.1 cancel-tcpip-forward, with the port the server bound.
            m_conn->cancel_tcpip_forward(remote_bind_address(remote.spec), *remote.bound_port);
        }
        m_pending_replies.push_back(PendingReply{PendingReply::Kind::cancel, 0, false});
        return "Canceled forwarding.";
    }
    return "Unknown port forwarding.";
}

void ForwardManager::schedule_keepalive()
{
    if (m_settings.server_alive_interval == 0 || m_closed) {
        return;
    }
    m_keepalive.expires_after(std::chrono::seconds(m_settings.server_alive_interval));
    m_keepalive.async_wait([this, alive = m_alive](const boost::system::error_code& ec) {
        if (!ec && *alive) {
            on_keepalive_tick();
        }
    });
}

void ForwardManager::on_keepalive_tick()
{
    if (m_keepalives_unanswered >= m_settings.server_alive_count_max) {
        // ssh(1)'s message and exit status.
        m_log.error("Timeout, server " + m_settings.connect_host + " not responding.");
        m_fail();
        return;
    }
    ++m_keepalives_unanswered;
    m_defer([this, alive = m_alive] {
        if (!*alive) {
            return;
        }
        // OpenSSH's keepalive@openssh.com global request with want_reply.
        m_conn->send_keepalive();
        m_pending_replies.push_back(PendingReply{PendingReply::Kind::keepalive, 0, false});
    });
    schedule_keepalive();
}

}  // namespace burrow::client
