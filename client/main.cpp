// burrow: an SSH client. Parses ssh-style arguments, connects, verifies the
// host key, authenticates with a key and runs a command (or a shell) with
// the local stdio attached; exits with the remote exit status or 255.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "client/agent_client.h"
#include "client/algorithms.h"
#include "client/auth_flow.h"
#include "client/config_dump.h"
#include "client/connect.h"
#include "client/host_verifier.h"
#include "client/identity.h"
#include "client/options.h"
#include "client/prompt.h"
#include "client/session.h"
#include "client/ssh_config.h"
#include "client/stdio_streams.h"
#include "crypto/registry.h"
#include "crypto/rng.h"
#include "protocol/asio/driver.h"
#include "protocol/connection.h"

namespace {

namespace client = burrow::client;

/// $HOME, else the password database.
std::string home_directory()
{
    if (const char* home = std::getenv("HOME"); home && *home) {
        return home;
    }
    const passwd* pw = ::getpwuid(::getuid());
    return pw && pw->pw_dir ? pw->pw_dir : "/";
}

/// $USER, else the password database.
std::string local_user_name()
{
    if (const char* user = std::getenv("USER"); user && *user) {
        return user;
    }
    const passwd* pw = ::getpwuid(::getuid());
    return pw && pw->pw_name ? pw->pw_name : "root";
}

std::string join(const std::vector<std::string>& names)
{
    std::string out;
    for (const std::string& name : names) {
        out += (out.empty() ? "" : ",") + name;
    }
    return out;
}

/// `burrow -Q`: one name per line on stdout.
int print_query(const std::string& what)
{
    const auto names = client::query_algorithms(what);
    if (!names) {
        std::fprintf(stderr, "burrow: Unsupported query \"%s\"\n", what.c_str());
        return client::exit_failure;
    }
    for (const std::string& name : *names) {
        std::printf("%s\n", name.c_str());
    }
    return 0;
}

/// Prompts through client/prompt.h (terminal without echo, or SSH_ASKPASS).
class TerminalPrompter final : public client::Prompter {
public:
    explicit TerminalPrompter(bool batch_mode) { m_policy.batch_mode = batch_mode; }

    std::optional<std::string> secret(const std::string& prompt) override
    {
        return client::read_secret(prompt, m_policy);
    }
    std::optional<std::string> line(const std::string& prompt, bool echo) override
    {
        return client::read_line(prompt, echo, m_policy);
    }
    void show(const std::string& text) override
    {
        if (!m_policy.batch_mode) {
            std::fprintf(stderr, "%s\n", text.c_str());
        }
    }

private:
    client::PromptPolicy m_policy;
};

/// The agent's keys when publickey authentication may be used ($SSH_AUTH_SOCK).
std::vector<std::unique_ptr<client::AgentKey>> agent_keys(
    const client::Settings& settings, const client::Logger& log,
    std::unique_ptr<client::AgentClient>& agent)
{
    std::vector<std::unique_ptr<client::AgentKey>> keys;
    const auto& methods = settings.preferred_authentications;
    if (std::find(methods.begin(), methods.end(), "publickey") == methods.end()) {
        return keys;
    }
    if (settings.identity_agent == "none") {
        return keys;
    }
    std::string why;
    if (settings.identity_agent.empty()) {
        agent = client::AgentClient::from_environment(why);
    } else {
        try {
            agent = std::make_unique<client::AgentClient>(settings.identity_agent);
        } catch (const client::AgentError& e) {
            why = e.what();
        }
    }
    if (!agent) {
        log.debug1("no agent: " + why);
        return keys;
    }
    try {
        for (const client::AgentIdentity& identity : agent->request_identities()) {
            if (auto key = client::AgentKey::create(*agent, identity)) {
                keys.push_back(std::move(key));
            }
        }
    } catch (const client::AgentError& e) {
        log.debug1(std::string("agent: ") + e.what());
    }
    return keys;
}

/// Connect, run the protocol to completion, return the exit code.
int run_client(const client::Settings& settings, const client::Logger& log)
{
    const client::HostVerifier verifier(settings, log);
    // Ask first for the host key types known_hosts already holds, so a
    // server with several keys does not look changed (ssh(1) does the same).
    std::string bad_spec;
    const std::optional<client::AlgorithmSelection> algorithms =
        client::select_algorithms(settings, verifier.recorded_key_types(), bad_spec);
    if (!algorithms) {
        log.error("burrow: " + bad_spec);
        return client::exit_failure;
    }
    const std::vector<client::Identity> identities = client::load_identities(
        settings.identity_files, log, client::PromptPolicy{settings.batch_mode});
    std::unique_ptr<client::AgentClient> agent;
    const auto from_agent = agent_keys(settings, log, agent);
    std::vector<client::KeyCandidate> keys = client::order_keys(
        from_agent, identities, client::identity_file_blobs(settings.identity_files, identities),
        settings.identities_only);
    TerminalPrompter prompter(settings.batch_mode);
    boost::asio::io_context io;
    std::optional<boost::asio::ip::tcp::socket> socket = client::connect_to_host(io, settings, log);
    if (!socket) {
        return client::exit_failure;
    }
    const client::FdFlagsGuard restore_flags;
    const std::unique_ptr<burrow::crypto::Rng> rng = burrow::crypto::make_system_rng();
    burrow::protocol::Config config;
    config.role = burrow::protocol::Role::client;
    config.kex_algorithms = algorithms->kex;
    config.ciphers = algorithms->ciphers;
    config.macs = algorithms->macs;
    config.host_key_algorithms = algorithms->host_keys;
    config.pubkey_algorithms = algorithms->pubkeys;
    config.compression = algorithms->compression;
    config.rekey_bytes = settings.rekey_limit.bytes;
    config.rekey_interval = settings.rekey_limit.interval;
    config.rng = rng.get();
    log.debug2("host key algorithms: " + join(algorithms->host_keys));
    client::Session session(settings, log, verifier, std::move(keys), prompter, io.get_executor());
    burrow::protocol::Connection conn(std::move(config), session);
    burrow::protocol::asio::Driver driver(*socket, conn);
    session.attach(conn, driver);

    // With a pty the local terminal is raw (ISIG off): ^C reaches the remote
    // side as a byte, and these only arrive by kill(1) or a hangup.
    boost::asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
    signals.add(SIGQUIT);
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (!ec) {
            session.abort("Killed by signal " + std::to_string(signo) + ".");
            driver.notify();
        }
    });
    boost::asio::co_spawn(io, driver.run(), [&](const std::exception_ptr& error) {
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                log.error(std::string("burrow: internal error: ") + e.what());
            }
        }
        boost::system::error_code ignored;
        signals.cancel(ignored);
        session.stop_input();
    });
    io.run();
    session.end_terminal();
    return session.exit_code();
}

}  // namespace

int main(int argc, char** argv)
{
    // Writes to a closed stdout/socket must fail with EPIPE, not kill us.
    std::signal(SIGPIPE, SIG_IGN);
    const client::ParseResult parsed =
        client::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    switch (parsed.action) {
        case client::CommandAction::help:
            std::fputs(client::usage_text().c_str(), stdout);
            return 0;
        case client::CommandAction::version:
            std::fputs("Burrow_0.1 (SSH-2.0), Botan 2\n", stderr);
            return 0;
        case client::CommandAction::usage_error:
            if (!parsed.error.empty()) {
                std::fprintf(stderr, "burrow: %s\n", parsed.error.c_str());
            }
            std::fputs(client::usage_text().c_str(), stderr);
            return client::exit_failure;
        case client::CommandAction::query:
            return print_query(parsed.query);
        case client::CommandAction::run:
            break;
    }
    // ssh(1) order: the command line, then the user file, then the system
    // file (or the -F file alone); the first value obtained wins.
    client::ClientConfig config = parsed.config;
    const std::string home = home_directory();
    const std::string local_user = local_user_name();
    const std::vector<client::ConfigFile> files =
        parsed.config_file ? client::explicit_config_files(*parsed.config_file, home)
                           : client::default_config_files(home);
    if (const auto error = client::load_config_files(config, files, home, local_user)) {
        std::fprintf(stderr, "burrow: %s\n", error->c_str());
        return client::exit_failure;
    }
    const client::Settings settings = client::resolve_settings(config, home, local_user);
    if (parsed.print_config) {
        std::fputs(client::dump_config(config, settings).c_str(), stdout);
        return 0;
    }
    const client::Logger log(settings.log_level);
    if (settings.fork_after_auth && !settings.command && !settings.no_session) {
        // ssh(1) -f needs something to do in the background (a command or -N).
        log.error("Cannot fork into background without a command to execute.");
        return client::exit_failure;
    }
    for (const std::string& option : config.ignored_options) {
        log.debug1("ignoring unsupported option " + option);
    }
    try {
        return run_client(settings, log);
    } catch (const std::exception& e) {
        log.error(std::string("burrow: ") + e.what());
        return client::exit_failure;
    }
}
