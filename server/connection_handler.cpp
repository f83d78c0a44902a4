#include "server/connection_handler.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/child_process.h"
#include "server/connection_outcome.h"
#include "server/log.h"
#include "server/pam_session.h"
#include "server/proc_title.h"

namespace burrow::server {

namespace {

namespace net = boost::asio;

/// RFC 4254 §5.1 reason codes.
constexpr uint32_t open_administratively_prohibited = 1;
constexpr uint32_t open_unknown_channel_type = 3;

/// The protocol's message when MaxAuthTries is exceeded.
constexpr std::string_view too_many_failures = "Too many authentication failures";
/// The protocol's message when LoginGraceTime expires.
constexpr std::string_view login_timeout = "Timeout before authentication";

}  // namespace

ConnectionHandler::ConnectionHandler(protocol::asio::ByteStream& socket, const ServerConfig& config,
                                     protocol::Config protocol_config, PeerInfo peer)
    : m_socket(socket),
      m_base_config(config),
      m_peer(std::move(peer)),
      m_auth(std::in_place, config.auth, peer_text(), m_peer.ip),
      m_conn(std::move(protocol_config), *this),
      m_driver(socket, m_conn),
      // Installed before any session forks, so no child exit is missed.
      m_sigchld(socket.get_executor(), SIGCHLD)
{
    set_proc_title(m_peer.ip + " [preauth]");
}

ConnectionHandler::~ConnectionHandler()
{
    for (auto& [id, session] : m_sessions) {
        session->shutdown();
    }
}

net::awaitable<void> ConnectionHandler::run()
{
    net::co_spawn(m_socket.get_executor(), watch_children(), net::detached);
    co_await m_driver.run();
    m_closed = true;
    if (m_client_alive) {
        m_client_alive->stop();
    }
    if (m_forwarding) {
        m_forwarding->stop();  // listeners close with the connection
    }
    if (m_agent) {
        m_agent->stop();  // the agent socket goes away with the connection
    }
    // The connection is gone: sessions still running get SIGHUP, as a
    // terminal hangup gives them (sshd does the same).
    for (auto& [id, session] : m_sessions) {
        session->hang_up();
    }
    m_sessions.clear();
    boost::system::error_code ignored;
    m_sigchld.cancel(ignored);
}

int ConnectionHandler::exit_status() const
{
    // The listener's PerSourcePenalties read this (server/connection_outcome.h).
    if (m_user) {
        return exit_connection_ok;
    }
    if (m_grace_expired) {
        return exit_grace_exceeded;
    }
    return m_auth_attempted ? exit_auth_attempted : exit_connection_error;
}

std::string ConnectionHandler::peer_text() const
{
    return m_peer.ip + " port " + std::to_string(m_peer.port);
}

void ConnectionHandler::on_disconnected(const protocol::DisconnectInfo& info)
{
    // Before authentication sshd names the user being authenticated, so
    // fail2ban-style filters can match "authenticating user" / "invalid user".
    const bool preauth_user = !m_user && !m_auth->attempted_user().empty();
    const std::string who = m_user         ? "user " + m_user->name + " " + peer_text()
                            : preauth_user ? m_auth->user_phrase() + " " + peer_text()
                                           : peer_text();
    const std::string suffix = m_user ? "" : " [preauth]";
    if (info.by_peer && info.reason == protocol::DisconnectReason::connection_lost) {
        log_info("Connection closed by " + who + suffix);
    } else if (info.by_peer) {
        log_info("Received disconnect from " + peer_text() + ":" +
                 std::to_string(static_cast<uint32_t>(info.reason)) + ": " + info.message + suffix);
        log_info("Disconnected from " + who + suffix);
    } else if (!m_user && info.message == login_timeout) {
        // sshd(8) LoginGraceTime expiry.
        m_grace_expired = true;
        log_info("Timeout before authentication for " + peer_text());
    } else if (info.reason == protocol::DisconnectReason::by_application) {
        log_info("Disconnected from " + who + suffix);
    } else {
        if (preauth_user && info.message == too_many_failures) {
            log_error("error: maximum authentication attempts exceeded " +
                      std::string(m_auth->account() ? "for " : "for invalid user ") +
                      m_auth->attempted_user() + " from " + peer_text() + " ssh2" + suffix);
        }
        log_info("Disconnecting " + who + ": " + info.message + suffix);
    }
}

void ConnectionHandler::on_debug(int level, std::string_view message)
{
    log_message(level <= 1 ? LogLevel::verbose : LogLevel::debug1, message);
}

void ConnectionHandler::on_authenticated(std::string_view user, std::string_view method)
{
    const std::optional<UserInfo> account = lookup_user(std::string(user));
    if (!account) {
        log_error("user " + std::string(user) + " vanished after authentication");
        m_conn.disconnect(protocol::DisconnectReason::by_application, "user lookup failed");
        return;
    }
    // Whatever the client sent after its last request is processed only
    // after this returns: by then this process is the user's.
    if (!begin_login(*account)) {
        m_conn.disconnect(protocol::DisconnectReason::by_application, "PAM session refused");
        return;
    }
    m_user = account;
    notify_listener_authenticated();
    drop_privileges_for_good();
    start_forwarding();
}

std::string ConnectionHandler::chroot_directory() const
{
    const std::optional<std::string>& pattern = config().session.chroot_directory;
    if (!pattern || pattern->empty()) {
        return {};
    }
    // sshd_config(5) ChrootDirectory: %h, %u and %% are expanded.
    return expand_user_path(*pattern, m_user->name, m_user->home).value_or(*pattern);
}

void ConnectionHandler::drop_privileges_for_good()
{
    // The keyboard-interactive thread (if any) has finished: join it.
    m_pam.reset();
    if (geteuid() != 0) {
        return;  // not root: already the only user we can serve
    }
    const std::string chroot_dir = chroot_directory();
    const std::string error = become_user(*m_user, chroot_dir);
    if (!error.empty()) {
        // Possibly still root: nothing more may happen in this process.
        log_error("fatal: cannot become " + m_user->name + ": " + error);
        _exit(exit_connection_error);
    }
    log_debug("user " + m_user->name + ": privileges dropped" +
              (chroot_dir.empty() ? "" : ", chroot " + chroot_dir));
    update_title();
}

void ConnectionHandler::update_title() const
{
    std::string ttys;
    for (const auto& [id, session] : m_sessions) {
        const std::string& tty = session->tty_name();
        if (!tty.empty()) {
            ttys += (ttys.empty() ? "" : ",") + (tty.starts_with("/dev/") ? tty.substr(5) : tty);
        }
    }
    set_proc_title(m_user->name + "@" + (ttys.empty() ? "notty" : ttys));
}

void ConnectionHandler::on_channel_open_request(const protocol::ChannelOpenRequest& request)
{
    if (m_forwarding && m_forwarding->on_open_request(request)) {
        return;
    }
    if (request.type == "session" && m_no_more_sessions) {
        // OpenSSH PROTOCOL §2.2: the client promised no more sessions; sshd
        // treats a further one as an attack and drops the connection.
        log_info(
            "Possible attack: attempt to open a session after additional sessions "
            "disabled, from " +
            peer_text());
        m_conn.disconnect(protocol::DisconnectReason::by_application,
                          "Possible attack: attempt to open a session after additional "
                          "sessions disabled");
        return;
    }
    if (request.type != "session" || !m_user) {
        log_debug("rejecting channel of type \"" + request.type + "\"");
        m_conn.reject_channel(request.id, open_unknown_channel_type, "unknown channel type");
        return;
    }
    if (m_sessions.size() >= config().session.max_sessions) {
        // sshd_config(5) MaxSessions.
        log_info("Refusing session for " + m_user->name + ": MaxSessions " +
                 std::to_string(config().session.max_sessions) + " reached");
        m_conn.reject_channel(request.id, open_administratively_prohibited, "too many sessions");
        return;
    }
    m_sessions[request.id] =
        std::make_unique<SessionChannel>(m_socket.get_executor(), m_conn, m_driver, request.id);
    m_conn.accept_channel(request.id);
}

SessionChannel* ConnectionHandler::find_session(protocol::ChannelId id) const
{
    const auto it = m_sessions.find(id);
    return it == m_sessions.end() ? nullptr : it->second.get();
}

bool ConnectionHandler::agent_forwarding_request(protocol::ChannelId id)
{
    // OpenSSH PROTOCOL §2.1: only on a session channel, once authenticated.
    if (!find_session(id) || !m_user) {
        return false;
    }
    if (!config().allow_agent_forwarding) {
        log_debug("agent forwarding refused: AllowAgentForwarding no");
        return false;
    }
    if (!m_key_options.agent_forwarding) {
        // authorized_keys no-agent-forwarding, or restrict without agent-forwarding.
        log_debug("agent forwarding refused by the key's authorized_keys options");
        return false;
    }
    if (!m_agent) {
        m_agent = std::make_unique<AgentForwarding>(m_socket.get_executor(), m_conn, m_driver);
    }
    const std::string error = m_agent->start(*m_user);
    if (!error.empty()) {
        log_error("agent forwarding for " + m_user->name + ": " + error);
        return false;
    }
    return true;
}

void ConnectionHandler::on_channel_request(const protocol::ChannelRequest& request)
{
    if (request.type == agent_request_type) {
        const bool ok = agent_forwarding_request(request.id);
        if (request.want_reply) {
            m_conn.reply_channel_request(request.id, ok);
        }
        return;
    }
    bool ok = false;
    SessionChannel* session = find_session(request.id);
    if (session && m_user) {
        SessionContext context{config(), *m_user, m_peer, m_key_options, *m_logins, {}, {}};
        if (m_agent && !m_agent->socket_path().empty()) {
            context.extra_env.push_back("SSH_AUTH_SOCK=" + m_agent->socket_path());
        }
        context.extra_env.insert(context.extra_env.end(), m_pam_env.begin(), m_pam_env.end());
        context.login_messages = m_pam_messages;
        ok = session->on_request(request, context);
        if (ok && request.type != "window-change") {
            update_title();  // a program may have started on a new pty
        }
    } else {
        log_debug("channel " + std::to_string(request.id) + ": unsupported request \"" +
                  request.type + "\"");
    }
    if (request.want_reply) {
        m_conn.reply_channel_request(request.id, ok);
    }
}

bool ConnectionHandler::begin_login(const UserInfo& user)
{
    // sshd(8) with UsePAM: one PAM session (account check, credentials,
    // pam_open_session) per connection, opened here, as root, so what its
    // modules set up (limits, loginuid, the login session's cgroup...)
    // applies to this process and every program it starts. The monitor,
    // which stays root, closes it when the connection is over.
    std::string error;
    if (config().auth.use_pam) {
        m_pam_session = PamSession::open(user.name, m_peer.ip, "ssh", error);
        if (!m_pam_session) {
            log_error("PAM session for " + user.name + " refused: " + error);
            return false;
        }
        m_pam_env = m_pam_session->environment();
        m_pam_messages = m_pam_session->messages();
        if (m_logins->has_monitor()) {
            m_pam_session->close_elsewhere();
        }
    }
    if (!m_logins->begin(user.name, m_pam_session != nullptr, error)) {
        log_error("monitor refused the login of " + user.name + ": " + error);
        return false;
    }
    return true;
}

void ConnectionHandler::on_channel_data(protocol::ChannelId id, ByteView data)
{
    if (m_forwarding && m_forwarding->on_data(id, data)) {
        return;
    }
    if (m_agent && m_agent->on_data(id, data)) {
        return;
    }
    if (SessionChannel* session = find_session(id)) {
        session->on_data(data);
    } else {
        m_conn.consume_channel_data(id, data.size());
    }
}

void ConnectionHandler::on_channel_extended_data(protocol::ChannelId id, uint32_t type,
                                                 ByteView data)
{
    // A client has no business sending stderr; drop it but keep the window open.
    m_conn.consume_channel_data(id, data.size());
}

void ConnectionHandler::on_channel_eof(protocol::ChannelId id)
{
    if (m_forwarding && m_forwarding->on_eof(id)) {
        return;
    }
    if (m_agent && m_agent->on_eof(id)) {
        return;
    }
    if (SessionChannel* session = find_session(id)) {
        session->on_eof();
    }
}

void ConnectionHandler::on_channel_closed(protocol::ChannelId id)
{
    if (m_forwarding && m_forwarding->on_closed(id)) {
        return;
    }
    if (m_agent && m_agent->on_closed(id)) {
        return;
    }
    if (SessionChannel* session = find_session(id)) {
        session->shutdown();
        m_sessions.erase(id);
        if (m_user) {
            update_title();
        }
    }
}

void ConnectionHandler::on_window_available(protocol::ChannelId id)
{
    if (m_forwarding && m_forwarding->on_window_available(id)) {
        return;
    }
    if (m_agent && m_agent->on_window_available(id)) {
        return;
    }
    if (SessionChannel* session = find_session(id)) {
        session->on_window_available();
    }
}

void ConnectionHandler::on_channel_open_result(protocol::ChannelId id, bool ok,
                                               std::string_view reason)
{
    // burrowd opens agent channels and forwarded-tcpip/-streamlocal ones.
    if (m_forwarding && m_forwarding->on_open_result(id, ok, reason)) {
        return;
    }
    if (!(m_agent && m_agent->on_open_result(id, ok))) {
        log_debug("open result for unknown channel " + std::to_string(id));
    }
}

void ConnectionHandler::reap_children()
{
    int status = 0;
    pid_t pid = 0;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (const auto& [id, session] : m_sessions) {
            if (session->pid() == pid) {
                session->on_exit(status);
                break;
            }
        }
    }
}

net::awaitable<void> ConnectionHandler::watch_children()
{
    while (!m_closed) {
        auto [ec, signal] = co_await m_sigchld.async_wait(net::as_tuple(net::use_awaitable));
        if (ec || m_closed) {
            break;
        }
        reap_children();
    }
}

}  // namespace burrow::server
