// burrowd's command line (issue F, sshd(8) flags): -i serving one connection
// on stdin/stdout (pipes from OpenSSH's ProxyCommand, or a TCP socket as
// inetd hands it over), -t checking the configuration and host keys, and the
// log flags -E / -q with LogLevel INFO and VERBOSE.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);
/// How long the test waits for the client to reach the helper's listener.
constexpr int accept_timeout_ms = 10000;
/// Exit status the remote command ends with, so the test sees it forwarded.
constexpr int remote_status = 7;

/// A directory with a host key, a user key authorized in it, and a burrowd
/// configuration file naming both (and nothing about listening: -i).
struct CliHost {
    CliHost()
        : host_key(make_openssh_key(dir, "host_key")),
          user_key(make_openssh_key(dir, "user_key")),
          config(dir.file("burrowd_config")),
          log(dir.file("burrowd.log"))
    {
        authorize(dir.file("authorized_keys"), user_key);
        write_text(config, "AuthorizedKeysFile " + dir.file("authorized_keys") + "\nHostKey " +
                               host_key.private_path + "\nPidFile " + dir.file("pid") + "\n");
    }

    /// burrowd -i with this configuration and `extra` flags, as a shell
    /// command (ssh runs it with "exec" in front).
    std::string inetd_command(const std::string& extra) const
    {
        return tools().burrowd + " -i -f " + config + " " + extra;
    }

    /// OpenSSH ssh running `command` through ProxyCommand `proxy`.
    std::vector<std::string> ssh_through(const std::string& proxy, const std::string& command)
    {
        ClientOptions options{user_key.private_path, dir.file("known_hosts"), "no", ""};
        options.extra = {"-o", "ProxyCommand=" + proxy};
        return client_command(ClientKind::openssh, 22, options, command);
    }

    TempDir dir;
    KeyPair host_key;
    KeyPair user_key;
    std::string config;
    std::string log;
};

std::string remote_command()
{
    return "echo from-burrowd; exit " + std::to_string(remote_status);
}

/// Runs ssh through `burrowd -i <extra>`; the command's output and status must come back.
RunResult run_through_proxy(CliHost& host, const std::string& extra)
{
    const std::vector<std::string> argv =
        host.ssh_through(host.inetd_command(extra), remote_command());
    const RunResult result = run(argv, RunOptions{host.dir.path(), command_timeout});
    INFO(describe(argv, result) << "\nburrowd log:\n" << read_text(host.log));
    REQUIRE(result.exit_code == remote_status);
    REQUIRE(result.out == "from-burrowd\n");
    return result;
}

/// A listening TCP socket on 127.0.0.1 (port chosen by the kernel).
struct Listening {
    Listening()
    {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(fd, 1) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        port = ntohs(address.sin_port);
    }
    ~Listening() { ::close(fd); }

    /// The next connection, or -1 if none arrives in time.
    int accept_one() const
    {
        pollfd waiting{fd, POLLIN, 0};
        if (::poll(&waiting, 1, accept_timeout_ms) != 1) {
            return -1;
        }
        return ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    }

    int fd = -1;
    uint16_t port = 0;
};

/// inetd's part: fork, put `connection` on the child's stdin and stdout and
/// its stderr into `log_path`, exec burrowd `args`. Returns the child's pid.
pid_t spawn_on_socket(int connection, const std::vector<std::string>& args,
                      const std::string& log_path)
{
    std::vector<char*> argv;
    for (const std::string& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log < 0 || ::dup2(connection, STDIN_FILENO) < 0 ||
            ::dup2(connection, STDOUT_FILENO) < 0 || ::dup2(log, STDERR_FILENO) < 0) {
            ::_exit(127);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

/// Reaps `pid` within `timeout`; its exit code, or -1 (then it is killed).
int reap(pid_t pid, Clock::duration timeout)
{
    int status = 0;
    const bool exited =
        wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("ssh through ProxyCommand burrowd -i runs a command", "[interop][cli]")
{
    CliHost host;
    const RunResult result = run_through_proxy(host, "-E " + host.log);
    // -i never writes log lines to stdout (that is the protocol stream), and
    // with -E none reach ssh's stderr either.
    CHECK(result.err.empty());
    const std::string log = read_text(host.log);
    CHECK(log.find("Accepted publickey for " + login_user() + " from UNKNOWN port 65535 ssh2") !=
          std::string::npos);
}

TEST_CASE("burrowd -i serves a TCP socket on stdin as inetd passes it", "[interop][cli]")
{
    CliHost host;
    const Listening listening;
    ClientOptions options{host.user_key.private_path, host.dir.file("known_hosts"), "no", ""};
    const std::vector<std::string> client =
        client_command(ClientKind::openssh, listening.port, options, remote_command());
    const std::string out_path = host.dir.file("ssh.out");
    Process ssh(client, Redirects{"/dev/null", out_path, host.dir.file("ssh.err")});

    const int connection = listening.accept_one();
    REQUIRE(connection >= 0);
    const pid_t burrowd = spawn_on_socket(
        connection, {tools().burrowd, "-i", "-e", "-f", host.config, "-o", "LogLevel=VERBOSE"},
        host.log);
    ::close(connection);
    const std::optional<int> status = ssh.wait_for_exit(command_timeout);
    const int burrowd_status = reap(burrowd, command_timeout);
    INFO("ssh stderr:\n"
         << read_text(host.dir.file("ssh.err")) << "\nburrowd log:\n"
         << read_text(host.log));
    REQUIRE(status == remote_status);
    CHECK(read_text(out_path) == "from-burrowd\n");
    CHECK(burrowd_status == 0);
    // The peer is the socket's: the client's address and port.
    CHECK(read_text(host.log).find("Connection from 127.0.0.1 port ") != std::string::npos);
    CHECK(read_text(host.log).find(" on 127.0.0.1 port " + std::to_string(listening.port)) !=
          std::string::npos);
}

TEST_CASE("burrowd -t: silent success, the reason and a failing status otherwise", "[interop][cli]")
{
    CliHost host;
    const std::vector<std::string> good{tools().burrowd, "-t", "-f", host.config};
    const RunResult ok = run(good, RunOptions{host.dir.path()});
    INFO(describe(good, ok));
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.empty());
    CHECK(ok.err.empty());

    SECTION("a bad configuration line is named file:line")
    {
        append_text(host.config, "LogLevel LOUD\n");
        const RunResult bad = run(good, RunOptions{host.dir.path()});
        INFO(describe(good, bad));
        CHECK(bad.exit_code != 0);
        CHECK(bad.err.find(host.config + ":4") != std::string::npos);
        CHECK(bad.out.empty());
    }
    SECTION("an invalid or a missing host key is reported and fails the check")
    {
        const std::string garbage = host.dir.file("garbage_key");
        write_text(garbage, "not a key\n");
        const std::string missing = host.dir.file("missing_key");
        for (const std::string& key : {garbage, missing}) {
            const std::vector<std::string> argv{tools().burrowd, "-t", "-f",
                                                host.config,     "-h", key};
            const RunResult bad = run(argv, RunOptions{host.dir.path()});
            INFO(describe(argv, bad));
            CHECK(bad.exit_code == 1);
            CHECK(bad.err.find("Unable to load host key \"" + key + "\"") != std::string::npos);
        }
    }
}

TEST_CASE("burrowd -E and -q: the log file gets the connection's lines, or nothing",
          "[interop][cli]")
{
    CliHost host;
    SECTION("-q writes nothing")
    {
        const RunResult result = run_through_proxy(host, "-q -E " + host.log);
        CHECK(result.err.empty());
        CHECK(file_size(host.log) == 0);
    }
    SECTION("-E appends across connections")
    {
        run_through_proxy(host, "-E " + host.log);
        run_through_proxy(host, "-E " + host.log);
        const std::string log = read_text(host.log);
        const size_t first = log.find("Accepted publickey");
        REQUIRE(first != std::string::npos);
        CHECK(log.find("Accepted publickey", first + 1) != std::string::npos);
    }
}

TEST_CASE("LogLevel VERBOSE adds the verbose lines; INFO keeps the fingerprint line",
          "[interop][cli]")
{
    CliHost host;
    const std::string fingerprint =
        sha256_fingerprint_of(host.user_key.public_path, host.dir.path());
    const std::string accepted = "Accepted publickey for " + login_user() +
                                 " from UNKNOWN port 65535 ssh2: ED25519 " + fingerprint;
    const std::string connection = "Connection from UNKNOWN port 65535 on UNKNOWN port 65535";

    run_through_proxy(host, "-o LogLevel=VERBOSE -E " + host.log);
    const std::string verbose = read_text(host.log);
    CHECK(verbose.find(accepted) != std::string::npos);
    CHECK(verbose.find(connection) != std::string::npos);

    write_text(host.log, "");
    run_through_proxy(host, "-o LogLevel=INFO -E " + host.log);
    const std::string info = read_text(host.log);
    INFO(info);
    CHECK(info.find(accepted) != std::string::npos);
    CHECK(info.find(connection) == std::string::npos);
}

TEST_CASE("TCPKeepAlive turns the kernel's keepalive probes on (default) or off", "[interop][cli]")
{
    const std::string setting = GENERATE(std::string("yes"), std::string("no"));
    TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair user_key = make_openssh_key(dir, "user_key");
    authorize(dir.file("authorized_keys"), user_key);
    std::vector<std::string> options;
    if (setting == "no") {
        options.push_back("TCPKeepAlive=no");
    }
    const Server server(
        ServerKind::burrowd, dir,
        ServerSettings{{host_key.private_path}, dir.file("authorized_keys"), options});
    // From inside the session: the server's end of this very connection,
    // with its timers (ss -o shows "timer:(keepalive,...)" when enabled).
    const std::string port = std::to_string(server.port());
    ClientOptions client{user_key.private_path, dir.file("known_hosts"), "no", ""};
    const std::vector<std::string> argv =
        client_command(ClientKind::openssh, server.port(), client,
                       "ss -tnoH state established '( sport = :" + port + " )'; echo ss-done");
    const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    INFO(describe(argv, result) << "\nburrowd log:\n" << server.log());
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.out.find("ss-done") != std::string::npos);
    REQUIRE(result.out.find(":" + port) != std::string::npos);  // the socket was listed
    CHECK((result.out.find("keepalive") != std::string::npos) == (setting == "yes"));
}

TEST_CASE("SetEnv sets variables in sessions, over the client's, and per Match block",
          "[interop][cli]")
{
    TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair user_key = make_openssh_key(dir, "user_key");
    authorize(dir.file("authorized_keys"), user_key);
    ServerSettings settings{{host_key.private_path}, dir.file("authorized_keys"), {}};
    settings.config_tail =
        "AcceptEnv BURROW_*\nSetEnv BURROW_A=global \"BURROW_B=two words\"\n"
        "Match Address 127.0.0.2\n    SetEnv BURROW_A=matched\n";
    const Server server(ServerKind::burrowd, dir, settings);
    const auto session = [&](const std::string& bind) {
        ClientOptions client{user_key.private_path, dir.file("known_hosts"), "no", ""};
        client.extra = {"-b", bind, "-o", "SetEnv=BURROW_A=from-client"};
        const std::vector<std::string> argv =
            client_command(ClientKind::openssh, server.port(), client,
                           "echo \"A=$BURROW_A\"; echo \"B=$BURROW_B\"");
        const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
        INFO(describe(argv, result) << "\nburrowd log:\n" << server.log());
        REQUIRE(result.exit_code == 0);
        return result.out;
    };
    CHECK(session("127.0.0.1") == "A=global\nB=two words\n");
    // A matching block's SetEnv replaces the global line.
    CHECK(session("127.0.0.2") == "A=matched\nB=\n");
}

}  // namespace burrow::interop_test
