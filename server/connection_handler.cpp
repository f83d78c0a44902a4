#include "server/connection_handler.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <ctime>

#include "crypto/keys.h"
#include "server/authorized_keys.h"
#include "server/child_process.h"
#include "server/log.h"
#include "server/login_records.h"
#include "server/pam_session.h"

namespace burrow::server {

namespace {

namespace net = boost::asio;

/// authorized_keys files larger than this are ignored.
constexpr size_t max_authorized_keys_size = 1024 * 1024;

/// RFC 4254 §5.1 reason codes.
constexpr uint32_t open_administratively_prohibited = 1;
constexpr uint32_t open_unknown_channel_type = 3;

/// Session requests that start the session's program.
bool starts_program(std::string_view type)
{
    return type == "shell" || type == "exec" || type == "subsystem";
}

/// "ED25519 SHA256:..." as sshd logs a key.
std::string describe_key(ByteView blob)
{
    const std::unique_ptr<crypto::PublicKey> key = crypto::parse_public_key_blob(blob);
    std::string type = key ? std::string(key->key_type()) : "unknown";
    if (type.starts_with("ssh-")) {
        type = type.substr(4);
    } else if (type.starts_with("ecdsa-")) {
        type = "ecdsa";
    }
    for (char& c : type) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return type + " " + crypto::fingerprint_sha256(blob);
}

/// A view of secret bytes as text, without copying them.
std::string_view as_text(ByteView bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// The protocol's message when MaxAuthTries is exceeded.
constexpr std::string_view too_many_failures = "Too many authentication failures";
/// The protocol's message when LoginGraceTime expires.
constexpr std::string_view login_timeout = "Timeout before authentication";

}  // namespace

ConnectionHandler::ConnectionHandler(net::ip::tcp::socket& socket, const ServerConfig& config,
                                     protocol::Config protocol_config, PeerInfo peer)
    : m_socket(socket),
      m_config(config),
      m_peer(std::move(peer)),
      m_auth(config.auth, m_peer.ip + " port " + std::to_string(m_peer.port), m_peer.ip),
      m_conn(std::move(protocol_config), *this),
      m_driver(socket, m_conn),
      // Installed before any session forks, so no child exit is missed.
      m_sigchld(socket.get_executor(), SIGCHLD)
{
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

std::string ConnectionHandler::peer_text() const
{
    return m_peer.ip + " port " + std::to_string(m_peer.port);
}

void ConnectionHandler::on_disconnected(const protocol::DisconnectInfo& info)
{
    // Before authentication sshd names the user being authenticated, so
    // fail2ban-style filters can match "authenticating user" / "invalid user".
    const bool preauth_user = !m_user && !m_auth.attempted_user().empty();
    const std::string who = m_user         ? "user " + m_user->name + " " + peer_text()
                            : preauth_user ? m_auth.user_phrase() + " " + peer_text()
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
        log_info("Timeout before authentication for " + peer_text());
    } else if (info.reason == protocol::DisconnectReason::by_application) {
        log_info("Disconnected from " + who + suffix);
    } else {
        if (preauth_user && info.message == too_many_failures) {
            log_error("error: maximum authentication attempts exceeded " +
                      std::string(m_auth.account() ? "for " : "for invalid user ") +
                      m_auth.attempted_user() + " from " + peer_text() + " ssh2" + suffix);
        }
        log_info("Disconnecting " + who + ": " + info.message + suffix);
    }
}

void ConnectionHandler::on_debug(int level, std::string_view message)
{
    log_message(level <= 1 ? LogLevel::verbose : LogLevel::debug1, message);
}

std::optional<KeyOptions> ConnectionHandler::key_authorized(const UserInfo& user,
                                                            ByteView key_blob) const
{
    for (const std::string& pattern : m_config.authorized_keys_files) {
        const std::optional<std::string> path = expand_user_path(pattern, user.name, user.home);
        if (!path) {
            log_error("AuthorizedKeysFile \"" + pattern + "\": unknown % token");
            continue;
        }
        if (m_config.strict_modes) {
            const std::string problem = strict_modes_problem(*path, user);
            if (!problem.empty()) {
                log_info("Authentication refused: " + problem);
                continue;
            }
        }
        const std::optional<std::string> text =
            read_file_as_user(*path, user, max_authorized_keys_size);
        if (!text) {
            log_debug("Could not open authorized keys '" + *path + "'");
            continue;
        }
        const auto skipped = [&](size_t line, std::string_view why) {
            log_info(*path + ":" + std::to_string(line) + ": " + std::string(why));
        };
        for (AuthorizedKey& entry : find_authorized_keys(*text, key_blob, skipped)) {
            const std::string where = *path + ", line " + std::to_string(entry.line);
            const std::string refused =
                refuse_reason(entry.options, m_peer.ip, static_cast<int64_t>(::time(nullptr)));
            if (!refused.empty()) {
                log_info("Authentication refused for " + user.name + " by key options (" + where +
                         "): " + refused);
                continue;
            }
            log_debug("matching key found: file " + where);
            return std::move(entry.options);
        }
    }
    return std::nullopt;
}

void ConnectionHandler::on_auth_request(const protocol::AuthRequest& request)
{
    m_auth.begin(request.user);
    if (!m_banner_sent) {
        // sshd_config(5) Banner: sent before authentication, RFC 4252 §5.4.
        m_banner_sent = true;
        if (const std::optional<std::string> text = banner_text(m_config.banner)) {
            m_conn.send_auth_banner(*text);
        }
    }
    if (request.method == "password") {
        answer_verdict(m_auth.password_attempt("password", as_text(request.password)));
        return;
    }
    if (request.method == "keyboard-interactive" && m_config.auth.use_pam) {
        start_pam_conversation(request.user);
        return;
    }
    if (request.method == "keyboard-interactive") {
        // Without PAM: one echo-off "Password: " prompt, checked against
        // the shadow file like a password.
        protocol::InfoRequest info;
        info.prompts.push_back(protocol::KbdIntPrompt{"Password: ", false});
        m_conn.send_info_request(info);
        return;
    }
    if (request.method != "publickey") {
        m_conn.answer_auth(false);
        return;
    }
    const std::string key_text = describe_key(request.key_blob);
    const std::optional<UserInfo>& user = m_auth.account();
    if (!user) {
        // Same reply as a known user with an unknown key (no enumeration).
        log_info("Failed publickey for invalid user " + request.user + " from " + peer_text() +
                 " ssh2: " + key_text);
        m_conn.answer_auth(false);
        return;
    }
    // Not running as root, burrowd can only become the user it runs as.
    const bool can_serve = geteuid() == 0 || user->uid == geteuid();
    if (!can_serve) {
        log_info("User " + request.user + " not allowed: burrowd is not running as root");
    }
    const std::optional<KeyOptions> options =
        can_serve ? key_authorized(*user, request.key_blob) : std::nullopt;
    const bool authorized = options.has_value();
    if (authorized && request.signature_verified) {
        m_key_options = *options;  // bound to the key that was verified
    }
    if (!authorized) {
        log_info("Failed publickey for " + request.user + " from " + peer_text() +
                 " ssh2: " + key_text);
    } else if (request.signature_verified) {
        answer_verdict(m_auth.publickey_success(key_text, options->command.has_value()));
        return;
    } else {
        // RFC 4252 §7: a query without signature; the real attempt follows.
        log_debug("Postponed publickey for " + request.user + " from " + peer_text() +
                  " ssh2 [preauth]");
    }
    m_conn.answer_auth(authorized);
}

void ConnectionHandler::start_pam_conversation(const std::string& user)
{
    // Unknown users get a conversation too (PAM prompts and fails as for a
    // wrong password), so the replies do not tell them apart.
    m_pam.reset();  // the previous attempt's thread has finished: join it
    m_pam = std::make_unique<PamConversation>(
        m_socket.get_executor(), pam_service_name, user, m_auth.password_policy(),
        // Both run from the event loop, outside the core's callbacks: the
        // driver must be told that output (and input readiness) changed.
        [this](const protocol::InfoRequest& info) {
            if (!m_closed) {
                m_conn.send_info_request(info);
                m_driver.notify();
            }
        },
        [this](bool ok, const std::string& detail) {
            if (!ok) {
                log_debug("PAM: keyboard-interactive failed: " + detail);
            }
            if (!m_closed) {
                answer_verdict(m_auth.pam_kbdint_result(ok));
                m_driver.notify();
            }
        });
}

void ConnectionHandler::on_info_response(const std::vector<ByteView>& responses)
{
    if (m_pam && m_pam->awaiting_answers()) {
        // RFC 4256 §3.4: the answers to the latest PAM prompts, in order.
        std::vector<std::string_view> answers;
        for (const ByteView response : responses) {
            answers.push_back(as_text(response));
        }
        m_pam->answer(answers);
        return;
    }
    // RFC 4256 §3.4: one response per prompt; we sent exactly one.
    const ByteView password = responses.empty() ? ByteView() : responses.front();
    answer_verdict(m_auth.password_attempt("keyboard-interactive", as_text(password)));
}

void ConnectionHandler::on_auth_abandoned()
{
    // The PAM conversation (if any) is cancelled and its thread joined.
    m_pam.reset();
}

void ConnectionHandler::on_auth_bad_signature(std::string_view user, ByteView key_blob)
{
    m_auth.begin(std::string(user));
    log_info("Failed publickey for " + std::string(m_auth.account() ? "" : "invalid user ") +
             std::string(user) + " from " + peer_text() + " ssh2: " + describe_key(key_blob));
}

void ConnectionHandler::answer_verdict(protocol::AuthVerdict verdict)
{
    // The next USERAUTH_FAILURE lists what AuthenticationMethods still needs.
    m_conn.set_auth_methods(m_auth.offered());
    m_conn.answer_auth(verdict);
}

void ConnectionHandler::on_authenticated(std::string_view user, std::string_view method)
{
    m_user = lookup_user(std::string(user));
    if (!m_user) {
        log_error("user " + std::string(user) + " vanished after authentication");
        m_conn.disconnect(protocol::DisconnectReason::by_application, "user lookup failed");
        return;
    }
    start_forwarding();
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
    if (m_sessions.size() >= m_config.session.max_sessions) {
        // sshd_config(5) MaxSessions.
        log_info("Refusing session for " + m_user->name + ": MaxSessions " +
                 std::to_string(m_config.session.max_sessions) + " reached");
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
    if (!m_config.allow_agent_forwarding) {
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
    if (session && m_user && (!starts_program(request.type) || open_pam_session())) {
        SessionContext context{m_config, *m_user, m_peer, m_key_options, {}, {}};
        if (m_agent && !m_agent->socket_path().empty()) {
            context.extra_env.push_back("SSH_AUTH_SOCK=" + m_agent->socket_path());
        }
        if (m_pam_session) {
            const std::vector<std::string> pam_env = m_pam_session->environment();
            context.extra_env.insert(context.extra_env.end(), pam_env.begin(), pam_env.end());
            context.login_messages = m_pam_session->messages();
        }
        ok = session->on_request(request, context);
    } else {
        log_debug("channel " + std::to_string(request.id) + ": unsupported request \"" +
                  request.type + "\"");
    }
    if (request.want_reply) {
        m_conn.reply_channel_request(request.id, ok);
    }
}

bool ConnectionHandler::open_pam_session()
{
    // sshd(8) with UsePAM: one PAM session (account check, credentials,
    // pam_open_session) per connection, opened when the first program starts.
    if (!m_config.auth.use_pam || m_pam_session) {
        return true;
    }
    std::string error;
    m_pam_session = PamSession::open(m_user->name, m_peer.ip, "ssh", error);
    if (!m_pam_session) {
        log_error("PAM session for " + m_user->name + " refused: " + error);
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
