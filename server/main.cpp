// burrowd: the Burrow SSH server (command line as sshd(8)).
#include <signal.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/config_dump.h"
#include "server/host_keys.h"
#include "server/listener.h"
#include "server/log.h"
#include "server/moduli.h"
#include "server/options.h"
#include "server/proc_title.h"
#include "server/serve.h"
#include "server/service_notify.h"

namespace {

namespace server = burrow::server;

/// Exit code for configuration errors (as sshd).
constexpr int exit_config_error = 255;

/// Fatal error: logged, and also on stderr when the log goes to syslog
/// (`echo`) - but never with -i, whose stderr may be the client's socket.
void fatal(const std::string& message, bool echo)
{
    server::log_fatal(message);
    if (echo) {
        std::fprintf(stderr, "burrowd: %s\n", message.c_str());
    }
}

/// Where and what to log (sshd(8)): -E appends to a file; -e, -d and -t
/// write to stderr; otherwise syslog with SyslogFacility. -q logs nothing
/// (unless -d asks for debugging).
server::LogSettings log_settings_for(const server::Options& options,
                                     const server::ServerConfig& config)
{
    server::LogSettings settings;
    const bool quiet = options.quiet && options.debug == 0;
    settings.level = quiet ? server::LogLevel::quiet : config.log_level;
    settings.facility = config.syslog_facility;
    if (!options.log_file.empty()) {
        settings.target = server::LogTarget::file;
        settings.file = options.log_file;
    } else if (options.log_stderr || options.debug > 0 || options.test_config) {
        settings.target = server::LogTarget::stderr_stream;
    }
    return settings;
}

void write_pid_file(const std::string& path)
{
    std::ofstream out(path, std::ios::trunc);
    out << getpid() << '\n';
    if (!out) {
        server::log_error("Couldn't create pid file \"" + path + "\"");
    }
}

/// SIGHUP: the configuration a restart would load must parse and give at
/// least one host key, else the listener keeps running on the old one.
std::optional<std::string> check_reload(const server::Options& options)
{
    try {
        const server::ServerConfig fresh = server::load_config(options);
        if (server::load_host_keys(fresh.host_keys, fresh.default_host_keys).empty()) {
            return std::string("no hostkeys available");
        }
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

/// Listen, optionally detach, and accept. Returns the connection to serve
/// in this process (forked child, or -d), nullopt when the daemon ends
/// (`restart` set on SIGHUP).
std::optional<server::AcceptedSocket> listen_and_accept(const server::ServerConfig& config,
                                                        const server::Options& options,
                                                        bool echo_fatal, int& exit_code,
                                                        bool& restart)
{
    boost::asio::io_context io;
    server::Listener listener(io, config.listen, config.daemon, config.address_family);
    listener.set_reload_check([&options] { return check_reload(options); });
    if (listener.bound_count() == 0) {
        fatal("Cannot bind any address.", echo_fatal);
        exit_code = exit_config_error;
        return std::nullopt;
    }
    const bool detach = !options.no_detach && options.debug == 0;
    if (detach && !listener.daemonize()) {
        exit_code = 1;
        return std::nullopt;
    }
    // sshd(8) writes the PidFile whenever it runs as a listener (daemon or
    // -D); only -d, which serves a single connection, skips it.
    const bool pid_file = options.debug == 0;
    if (pid_file) {
        write_pid_file(config.pid_file);
    }
    const pid_t listener_pid = getpid();
    // sd_notify(3): a Type=notify unit (burrowd -D) is up once we listen.
    server::service_notify("READY=1");
    std::optional<server::AcceptedSocket> accepted = listener.run(options.debug > 0);
    if (!accepted && listener.restart_requested()) {
        restart = true;  // SIGHUP: the re-executed listener rewrites the PidFile
    } else if (!accepted && pid_file && getpid() == listener_pid) {
        unlink(config.pid_file.c_str());
    }
    return accepted;
}

}  // namespace

int main(int argc, char** argv)
{
    // Before anything reads argv: process titles reuse its memory.
    server::proc_title_init(argc, argv);
    server::Options options;
    server::ConfigSource source;  // kept for Match, evaluated per connection
    server::ServerConfig config;
    try {
        options = server::parse_options(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    if (options.dump_config) {
        return server::run_dump_config(options);  // -T [-C spec]
    }
    try {
        source = server::load_config_source(options);
        config = server::resolve_config(options, source, nullptr);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return exit_config_error;
    }
    const server::ServeContext serve_context{config, options, source};
    const server::LogSettings log_settings = log_settings_for(options, config);
    if (const std::optional<std::string> failure = server::log_init(log_settings)) {
        std::fprintf(stderr, "burrowd: %s\n", failure->c_str());
        return 1;
    }
    const bool echo_fatal = log_settings.target == server::LogTarget::syslog && !options.inetd;
    // Writes to a pipe whose reader is gone must fail with EPIPE, not kill us.
    signal(SIGPIPE, SIG_IGN);

    const size_t errors_before_keys = server::log_error_count();
    const std::vector<std::unique_ptr<burrow::crypto::PrivateKey>> keys =
        server::load_host_keys(config.host_keys, config.default_host_keys);
    if (keys.empty()) {
        fatal("no hostkeys available -- exiting.", echo_fatal);
        return 1;
    }
    if (options.test_config) {
        // -t: silent success; any key that did not load was reported above.
        return server::log_error_count() == errors_before_keys ? 0 : 1;
    }
    // Read before listening so every connection (forked child) shares them.
    config.dh_groups = server::load_dh_groups(config.moduli_file);
    std::vector<const burrow::crypto::PrivateKey*> key_ptrs;
    for (const auto& key : keys) {
        key_ptrs.push_back(key.get());
    }

    if (options.inetd) {
        return server::serve_inetd(serve_context, key_ptrs);
    }
    int exit_code = 0;
    bool restart = false;
    const std::optional<server::AcceptedSocket> accepted =
        listen_and_accept(config, options, echo_fatal, exit_code, restart);
    if (restart) {
        server::reexecute_self();  // returns only on failure
        return 1;
    }
    if (!accepted) {
        return exit_code;
    }
    return server::serve_connection(*accepted, serve_context, key_ptrs);
}
