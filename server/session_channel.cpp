#include "server/session_channel.h"

#include <fnmatch.h>
#include <signal.h>

#include <array>
#include <string_view>

#include "server/child_process.h"
#include "server/log.h"

namespace burrow::server {

namespace {

/// Environment variables one session may set through env requests.
constexpr size_t max_client_env = 64;

/// RFC 4254 §6.10: the signal names a client may send, without "SIG".
struct SignalName {
    std::string_view name;
    int number;
};
constexpr std::array signal_names = {
    SignalName{"ABRT", SIGABRT}, SignalName{"ALRM", SIGALRM}, SignalName{"FPE", SIGFPE},
    SignalName{"HUP", SIGHUP},   SignalName{"ILL", SIGILL},   SignalName{"INT", SIGINT},
    SignalName{"KILL", SIGKILL}, SignalName{"PIPE", SIGPIPE}, SignalName{"QUIT", SIGQUIT},
    SignalName{"SEGV", SIGSEGV}, SignalName{"TERM", SIGTERM}, SignalName{"USR1", SIGUSR1},
    SignalName{"USR2", SIGUSR2},
};

/// Set NAME=value in `env`, replacing an existing NAME.
void set_var(std::vector<std::string>& env, std::string_view name, std::string_view value)
{
    const std::string prefix = std::string(name) + "=";
    for (std::string& entry : env) {
        if (entry.starts_with(prefix)) {
            entry = prefix + std::string(value);
            return;
        }
    }
    env.push_back(prefix + std::string(value));
}

/// sshd_config(5) AcceptEnv: shell-style patterns (* and ?).
bool env_accepted(const std::string& name, const std::vector<std::string>& patterns)
{
    for (const std::string& pattern : patterns) {
        if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) {
            return true;
        }
    }
    return false;
}

/// "pts/3" for log lines, as sshd writes it.
std::string short_tty(const std::string& name)
{
    return name.starts_with("/dev/") ? name.substr(5) : name;
}

}  // namespace

SessionChannel::SessionChannel(const boost::asio::any_io_executor& executor,
                               protocol::Connection& conn, protocol::asio::Driver& driver,
                               protocol::ChannelId id)
    : m_id(id), m_process(std::make_shared<ExecSession>(executor, conn, driver, id))
{
}

SessionChannel::~SessionChannel()
{
    if (m_login) {
        m_logins->logout(*m_login);  // the connection ended before the program
    }
    m_process->shutdown();
}

bool SessionChannel::on_request(const protocol::ChannelRequest& request,
                                const SessionContext& context)
{
    const std::string& type = request.type;
    if (type == "pty-req") {
        return on_pty_request(request, context);
    }
    if (type == "env") {
        return on_env(request, context);
    }
    if (type == "shell" || type == "exec" || type == "subsystem") {
        return start(request, context);
    }
    if (type == "window-change") {
        // RFC 4254 §6.7: before the program starts, remember the size.
        if (m_pty_settings) {
            m_pty_settings->size = request.window;
        }
        return m_process->resize(request.window);
    }
    if (type == "signal") {
        return on_signal(request);
    }
    if (type == "break") {
        return m_process->send_break(request.break_ms);  // RFC 4335 §3
    }
    log_debug("session " + std::to_string(m_id) + ": unsupported request \"" + type + "\"");
    return false;
}

bool SessionChannel::on_pty_request(const protocol::ChannelRequest& request,
                                    const SessionContext& context)
{
    if (started() || m_pty_settings) {
        log_debug("session " + std::to_string(m_id) + ": pty-req after start or twice");
        return false;
    }
    if (!context.config.session.permit_tty || !context.key_options.pty) {
        // sshd_config PermitTTY no, or authorized_keys no-pty / restrict.
        log_info("Pty allocation disabled for " + context.user.name);
        return false;
    }
    m_pty_settings = PtySettings{request.pty->term, request.pty->size, request.pty->modes};
    return true;
}

bool SessionChannel::on_env(const protocol::ChannelRequest& request, const SessionContext& context)
{
    // RFC 4254 §6.4: the server decides; sshd accepts AcceptEnv names only.
    const bool valid_name =
        !request.env_name.empty() && request.env_name.find('=') == std::string::npos;
    if (started() || !valid_name || m_client_env.size() >= max_client_env ||
        !env_accepted(request.env_name, context.config.session.accept_env)) {
        log_debug("Ignored env " + request.env_name);
        return false;
    }
    set_var(m_client_env, request.env_name, request.env_value);
    return true;
}

bool SessionChannel::on_signal(const protocol::ChannelRequest& request)
{
    for (const SignalName& s : signal_names) {
        if (s.name == request.signal_name) {
            m_process->deliver_signal(s.number);
            return true;
        }
    }
    log_debug("session " + std::to_string(m_id) + ": unknown signal \"" + request.signal_name +
              "\"");
    return false;
}

std::vector<std::string> SessionChannel::environment(const SessionContext& context) const
{
    const PeerInfo& peer = context.peer;
    std::vector<std::string> env =
        session_environment(context.user, peer.ip, peer.port, peer.local_ip, peer.local_port);
    // Client-sent variables may not override what the server sets below.
    for (const std::string& entry : m_client_env) {
        const size_t eq = entry.find('=');
        set_var(env, std::string_view(entry).substr(0, eq), std::string_view(entry).substr(eq + 1));
    }
    for (const std::string& entry :
         session_environment(context.user, peer.ip, peer.port, peer.local_ip, peer.local_port)) {
        if (entry.starts_with("SSH_")) {
            const size_t eq = entry.find('=');
            set_var(env, std::string_view(entry).substr(0, eq),
                    std::string_view(entry).substr(eq + 1));
        }
    }
    if (m_pty_settings) {
        set_var(env, "TERM", m_pty_settings->term.empty() ? "dumb" : m_pty_settings->term);
    }
    for (const std::string& entry : context.extra_env) {
        const size_t eq = entry.find('=');
        set_var(env, std::string_view(entry).substr(0, eq), std::string_view(entry).substr(eq + 1));
    }
    return env;
}

std::optional<std::optional<std::string>> SessionChannel::choose_command(
    const protocol::ChannelRequest& request, const SessionContext& context,
    std::vector<std::string>& env) const
{
    std::optional<std::string> command;
    if (request.type == "exec") {
        command = request.command;
    } else if (request.type == "subsystem") {
        const auto it = context.config.session.subsystems.find(request.command);
        if (it == context.config.session.subsystems.end() &&
            !context.config.session.force_command) {
            log_error("subsystem request for " + request.command + " by user " + context.user.name +
                      " failed, subsystem not found");
            return std::nullopt;
        }
        if (it != context.config.session.subsystems.end()) {
            command = it->second;
        }
    }
    // authorized_keys command= (with SSH_ORIGINAL_COMMAND) and environment=.
    apply_session_options(context.key_options, context.config.permit_user_environment, env,
                          command);
    if (context.config.session.force_command) {
        // sshd_config ForceCommand wins over everything; the client's
        // command stays visible as SSH_ORIGINAL_COMMAND.
        if (request.type == "exec") {
            set_var(env, "SSH_ORIGINAL_COMMAND", request.command);
        }
        command = context.config.session.force_command;
    }
    return command;
}

bool SessionChannel::start(const protocol::ChannelRequest& request, const SessionContext& context)
{
    if (started()) {
        return false;
    }
    std::vector<std::string> env = environment(context);
    const std::optional<std::optional<std::string>> command = choose_command(request, context, env);
    if (!command) {
        return false;
    }
    // sshd_config(5) SetEnv wins over everything set so far.
    for (const std::string& entry : context.config.session.set_env) {
        const size_t eq = entry.find('=');
        set_var(env, std::string_view(entry).substr(0, eq), std::string_view(entry).substr(eq + 1));
    }
    SpawnOptions options;
    Pty pty;
    if (m_pty_settings) {
        const std::string error = pty.open(*m_pty_settings, context.user);
        if (!error.empty()) {
            log_error("session " + std::to_string(m_id) + ": " + error);
            return false;
        }
        m_tty_name = pty.name();
        set_var(env, "SSH_TTY", m_tty_name);
        options.pty = &pty;
    }
    prepare_login(request, context, options);
    const std::string what = request.type == "subsystem" ? "subsystem '" + request.command + "'"
                             : request.type == "exec"    ? std::string("command")
                                                         : std::string("shell");
    log_verbose("Starting session: " + what +
                (m_tty_name.empty() ? "" : " on " + short_tty(m_tty_name)) + " for " +
                context.user.name + " from " + context.peer.ip + " port " +
                std::to_string(context.peer.port) + " id " + std::to_string(m_id));
    const std::string error = m_process->start(context.user, env, *command, options);
    if (!error.empty()) {
        log_error("session for " + context.user.name + ": " + error);
        return false;
    }
    if (!m_tty_name.empty()) {
        // login(1)/sshd(8): a session on a terminal is a login: who(1), last(1).
        m_login =
            LoginRecord{pid(), context.user.name, context.user.uid, m_tty_name, context.peer.ip};
        m_logins = &context.logins;
        m_logins->login(*m_login);
    }
    return true;
}

void SessionChannel::prepare_login(const protocol::ChannelRequest& request,
                                   const SessionContext& context, SpawnOptions& options) const
{
    // sshd(8) without PAM honours /etc/nologin itself (with PAM, pam_nologin
    // in the account stack already refused the login).
    if (!context.config.auth.use_pam) {
        options.refusal = nologin_message(context.user.uid);
    }
    // Only a login shell on a terminal gets the greeting, as with sshd.
    if (m_tty_name.empty() || request.type != "shell") {
        return;
    }
    if (context.config.print_last_log) {
        if (const std::optional<std::string> last = last_login_message(context.user.uid)) {
            options.greeting += *last + "\n";
        }
    }
    options.greeting += context.login_messages;
    if (context.config.print_motd) {
        options.greeting += motd_text();
    }
}

void SessionChannel::on_exit(int wait_status)
{
    if (m_login) {
        m_logins->logout(*m_login);
        m_login.reset();
    }
    m_process->on_exit(wait_status);
}

}  // namespace burrow::server
