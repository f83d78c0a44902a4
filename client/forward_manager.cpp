// Local forwarding (-L), the -D entry, channel routing and "~C"; remote
// forwarding and keepalives are in client/forward_remote.cpp.
#include "client/forward_manager.h"

#include <boost/asio/post.hpp>

#include "client/auth_flow.h"

namespace burrow::client {

namespace {

/// The listening part of a "~C -K?" argument: "[bind:]port" or a path.
std::optional<ForwardSpec> parse_cancel_spec(std::string_view text, std::string& error)
{
    if (text.find('/') != std::string_view::npos) {
        ForwardSpec spec;
        spec.listen_path = std::string(text);
        return spec;
    }
    // The reverse dynamic form of -R is exactly "[bind:]port".
    return parse_forward_spec(ForwardSpec::Kind::remote, text, error);
}

bool same_listen(const ForwardSpec& a, const ForwardSpec& b)
{
    if (a.listens_on_path() || b.listens_on_path()) {
        return a.listen_path == b.listen_path;
    }
    return a.listen_port == b.listen_port && (!b.listen_host || a.listen_host == b.listen_host);
}

}  // namespace

ForwardManager::ForwardManager(const boost::asio::any_io_executor& executor,
                               const Settings& settings, const Logger& log, Defer defer, Fail fail,
                               Ready ready)
    : m_executor(executor),
      m_settings(settings),
      m_log(log),
      m_defer(std::move(defer)),
      m_fail(std::move(fail)),
      m_ready(std::move(ready)),
      m_dynamic(executor, log, m_defer),
      m_reverse(executor, log, m_defer),
      m_keepalive(executor)
{
}

ForwardManager::~ForwardManager()
{
    close_all();
}

void ForwardManager::attach(protocol::Connection& conn)
{
    m_conn = &conn;
    m_dynamic.attach(conn);
    m_reverse.attach(conn);
}

void ForwardManager::start()
{
    m_started = true;
    for (const ForwardSpec& spec : m_settings.forwards) {
        std::string message;
        bool ok = true;
        if (spec.kind == ForwardSpec::Kind::remote) {
            request_remote(spec, true);
        } else if (spec.kind == ForwardSpec::Kind::local) {
            ok = add_local(spec, message);
        } else {
            ok = add_dynamic(spec, message);
        }
        if (!ok) {
            m_log.error(message);
            if (m_settings.exit_on_forward_failure) {
                m_fail();
                return;
            }
        }
    }
    schedule_keepalive();
    if (m_unanswered_initial == 0) {
        m_ready();
    }
}

bool ForwardManager::add_local(const ForwardSpec& spec, std::string& message)
{
    auto listener = std::make_unique<ForwardListener>(
        m_executor,
        [this, spec, alive = m_alive](ForwardListener::Socket socket, const Originator& who) {
            if (*alive) {
                on_local_accept(spec, std::move(socket), who);
            }
        });
    if (const auto errors = listener->open(spec, m_settings.gateway_ports)) {
        for (const std::string& error : *errors) {
            m_log.error(error);
        }
        message = "Could not request local forwarding.";
        return false;
    }
    listener->start();
    m_log.debug1("Local connections to " + describe_listen(spec) + " forwarded to remote address " +
                 describe_connect(spec));
    m_listeners.emplace_back(spec, std::move(listener));
    return true;
}

bool ForwardManager::add_dynamic(const ForwardSpec& spec, std::string& message)
{
    // DynamicForwarder takes the address with GatewayPorts applied.
    const std::string bind =
        spec.listen_host ? *spec.listen_host : (m_settings.gateway_ports ? "" : "localhost");
    std::string error;
    if (!m_dynamic.listen(bind, spec.listen_port, error)) {
        m_log.error(error);
        message = "Could not request local forwarding.";
        return false;
    }
    m_log.debug1("Local forwarding listening on " + describe_listen(spec) + " (SOCKS).");
    m_dynamic_specs.push_back(spec);
    return true;
}

void ForwardManager::on_local_accept(const ForwardSpec& spec, ForwardListener::Socket socket,
                                     const Originator& who)
{
    auto shared = std::make_shared<ForwardListener::Socket>(std::move(socket));
    m_defer([this, spec, shared, who, alive = m_alive] {
        if (!*alive) {
            return;
        }
        // RFC 4254 §7.2 direct-tcpip; OpenSSH PROTOCOL §2.4 direct-streamlocal.
        const std::optional<protocol::ChannelId> id =
            spec.connects_to_path()
                ? m_conn->open_direct_streamlocal(spec.connect_path)
                : m_conn->open_direct_tcpip(spec.connect_host, spec.connect_port, who.ip, who.port);
        if (!id) {
            m_log.error("cannot open a channel for " + describe_listen(spec) +
                        ": too many channels");
            return;  // the socket closes
        }
        m_log.debug1("channel " + std::to_string(*id) + ": new direct channel for " +
                     describe_connect(spec) + " from " + who.ip + " port " +
                     std::to_string(who.port));
        m_opening[*id] = Opening{shared};
    });
}

void ForwardManager::start_relay(protocol::ChannelId id, ForwardListener::Socket socket)
{
    // Commands from the relay's own I/O wake the driver through a deferred no-op.
    auto relay = std::make_shared<protocol::asio::ChannelRelay>(std::move(socket), *m_conn, id,
                                                                [this] { m_defer([] {}); });
    m_relays.add(relay);
    m_defer([relay] { relay->start(); });
}

bool ForwardManager::on_open_result(protocol::ChannelId id, bool ok, std::string_view reason)
{
    const auto found = m_opening.find(id);
    if (found == m_opening.end()) {
        return m_dynamic.on_open_result(id, ok, reason);
    }
    const std::shared_ptr<ForwardListener::Socket> socket = found->second.socket;
    m_opening.erase(found);
    if (!ok) {
        // ssh(1) says the same; the local connection is closed.
        m_log.error("channel " + std::to_string(id) + ": open failed: " + printable_text(reason));
        return true;
    }
    start_relay(id, std::move(*socket));
    return true;
}

bool ForwardManager::on_data(protocol::ChannelId id, ByteView data)
{
    return m_relays.on_data(id, data) || m_dynamic.on_data(id, data) || m_reverse.on_data(id, data);
}

bool ForwardManager::on_eof(protocol::ChannelId id)
{
    return m_relays.on_eof(id) || m_dynamic.on_eof(id) || m_reverse.on_eof(id);
}

bool ForwardManager::on_closed(protocol::ChannelId id)
{
    if (m_relays.on_closed(id)) {
        return true;
    }
    return m_dynamic.on_closed(id) || m_reverse.on_closed(id);
}

bool ForwardManager::on_window_available(protocol::ChannelId id)
{
    return m_relays.on_window_available(id) || m_dynamic.on_window_available(id) ||
           m_reverse.on_window_available(id);
}

void ForwardManager::close_all()
{
    if (m_closed) {
        return;
    }
    m_closed = true;
    *m_alive = false;
    for (auto& [spec, listener] : m_listeners) {
        listener->close();
    }
    m_relays.shutdown_all();
    m_opening.clear();
    boost::system::error_code ignored;
    m_keepalive.cancel(ignored);
    m_dynamic.close_all();
    m_reverse.close_all();
}

std::vector<std::string> ForwardManager::describe() const
{
    std::vector<std::string> lines;
    for (const auto& [spec, listener] : m_listeners) {
        lines.push_back("listening on " + describe_listen(spec) + " for " + describe_connect(spec));
    }
    for (const ForwardSpec& spec : m_dynamic_specs) {
        lines.push_back("listening on " + describe_listen(spec) + " (SOCKS)");
    }
    for (const Remote& remote : m_remotes) {
        if (remote.bound_port && !remote.cancelled) {
            lines.push_back("remote port " + std::to_string(*remote.bound_port) + " forwarded to " +
                            describe_connect(remote.spec));
        }
    }
    for (const protocol::ChannelId id : m_relays.ids()) {
        lines.push_back("#" + std::to_string(id) + " forwarded connection");
    }
    return lines;
}

std::string ForwardManager::apply(const ForwardCommand& command)
{
    std::string error;
    if (command.cancel) {
        const auto spec = parse_cancel_spec(command.spec, error);
        if (!spec) {
            return error;
        }
        if (command.kind == ForwardCommand::Kind::remote) {
            return cancel_remote(*spec);
        }
        if (command.kind == ForwardCommand::Kind::dynamic) {
            return m_dynamic.cancel(spec->listen_port) ? "Canceled forwarding."
                                                       : "Unknown port forwarding.";
        }
        for (auto it = m_listeners.begin(); it != m_listeners.end(); ++it) {
            if (same_listen(it->first, *spec)) {
                it->second->close();
                m_listeners.erase(it);
                return "Canceled forwarding.";
            }
        }
        return "Unknown port forwarding.";
    }
    const ForwardSpec::Kind kind =
        command.kind == ForwardCommand::Kind::local    ? ForwardSpec::Kind::local
        : command.kind == ForwardCommand::Kind::remote ? ForwardSpec::Kind::remote
                                                       : ForwardSpec::Kind::dynamic;
    const auto spec = parse_forward_spec(kind, command.spec, error);
    if (!spec) {
        return error;
    }
    std::string message;
    if (kind == ForwardSpec::Kind::remote) {
        request_remote(*spec, false);
        return "Forwarding port.";
    }
    const bool ok =
        kind == ForwardSpec::Kind::local ? add_local(*spec, message) : add_dynamic(*spec, message);
    return ok ? "Forwarding port." : message;
}

}  // namespace burrow::client
