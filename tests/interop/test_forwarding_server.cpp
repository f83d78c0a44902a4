// Port forwarding to burrowd (RFC 4254 §7): OpenSSH ssh -L / -R / -R 0
// moving data with checksums through an echo server in this process; the
// GatewayPorts matrix against burrowd and OpenSSH sshd (what `ss -ltnH`
// shows bound, and whether a connection from 127.0.0.3 to 127.0.0.3 reaches
// the forward), which must agree; the policy keywords; ClientAliveInterval.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <future>
#include <iostream>
#include <map>

#include "fixtures.h"
#include "forwarding_helpers.h"

namespace burrow::interop_test {

TEST_CASE("ssh -L and -R through burrowd move data intact", "[forwarding-server]")
{
    ServedHost served(ServerKind::burrowd);
    EchoServer echo;
    const std::string& input = random_file(4);
    const std::string expected = sha256_of_file(input, served.dir.path());
    const uint16_t local_port = free_loopback_port();
    const std::string log = served.dir.file("ssh-L.log");
    auto ssh = start_ssh(served,
                         {"-o", "ExitOnForwardFailure=yes", "-L",
                          std::to_string(local_port) + ":127.0.0.1:" + std::to_string(echo.port()),
                          "-R", "0:127.0.0.1:" + std::to_string(echo.port())},
                         log);
    // ssh prints the allocated port once the remote forward is up.
    std::string allocated;
    const bool announced = wait_until(
        [&] {
            const std::string text = read_text(log);
            const auto at = text.find("Allocated port ");
            if (at == std::string::npos) {
                return false;
            }
            allocated = text.substr(at + 15, text.find(' ', at + 15) - at - 15);
            return true;
        },
        io_timeout);
    if (!announced) {
        FAIL("no allocated port; ssh log:\n"
             << read_text(log) << "\nburrowd log:\n"
             << tail(served.server.log()));
    }
    INFO("ssh log:\n" << read_text(log) << "\nburrowd log:\n" << tail(served.server.log()));
    const uint16_t remote_port = static_cast<uint16_t>(std::stoi(allocated));
    CHECK_THAT(read_text(log),
               Catch::Contains("Allocated port " + allocated +
                               " for remote forward to 127.0.0.1:" + std::to_string(echo.port())));
    CHECK(listening_on(remote_port, served.dir) == "127.0.0.1 [::1]");
    REQUIRE(wait_until([&] { return listening_on(local_port, served.dir) != "(nothing)"; },
                       io_timeout));
    CHECK(echo_through(local_port, input, served.dir) == expected);
    CHECK(echo_through(remote_port, input, served.dir) == expected);
    ssh->terminate();
    // All listeners close with the connection.
    CHECK(wait_until([&] { return listening_on(remote_port, served.dir) == "(nothing)"; },
                     io_timeout));
}

TEST_CASE("GatewayPorts matrix: burrowd binds what OpenSSH sshd binds", "[forwarding-server]")
{
    const std::vector<std::string> policies = {"no", "yes", "clientspecified"};
    // "" = no bind address on the command line (ssh then asks for
    // "localhost", sshd_config(5) PermitListen).
    const std::vector<std::string> binds = {"", "*", "localhost", "127.0.0.1", "127.0.0.2"};
    std::map<std::string, std::string> results[2];
    EchoServer echo;
    for (int k = 0; k < 2; ++k) {
        const ServerKind kind = k == 0 ? ServerKind::openssh : ServerKind::burrowd;
        ServedHost base(kind);
        for (const std::string& policy : policies) {
            TempDir dir;
            Server server(kind, dir, settings_with(base, {"GatewayPorts=" + policy}));
            for (const std::string& bind : binds) {
                const uint16_t port = free_loopback_port();
                const std::string spec = (bind.empty() ? "" : bind + ":") + std::to_string(port) +
                                         ":127.0.0.1:" + std::to_string(echo.port());
                const std::string log = dir.file("ssh.log");
                std::vector<std::string> argv = {"-o", "ExitOnForwardFailure=yes", "-R", spec};
                ClientOptions options;
                options.identity = base.user_key.private_path;
                options.known_hosts = "/dev/null";
                options.extra = {"-N"};
                options.extra.insert(options.extra.end(), argv.begin(), argv.end());
                std::vector<std::string> cmd =
                    client_command(ClientKind::openssh, server.port(), options, "");
                cmd.pop_back();
                Redirects redirects;
                redirects.stderr_path = log;
                Process ssh(cmd, redirects);
                const bool up = wait_until(
                    [&] { return listening_on(port, dir) != "(nothing)" || !ssh.running(); },
                    io_timeout);
                const std::string bound = up ? listening_on(port, dir) : "(timeout)";
                const int fd = connect_from("127.0.0.3", "127.0.0.3", port);
                const bool reached = fd >= 0;
                if (fd >= 0) {
                    ::close(fd);
                }
                const int fd2 = connect_from("127.0.0.3", "127.0.0.2", port);
                const bool reached2 = fd2 >= 0;
                if (fd2 >= 0) {
                    ::close(fd2);
                }
                results[k][policy + " / \"" + bind + "\""] =
                    bound + " | from 127.0.0.3 to 127.0.0.3: " + (reached ? "yes" : "no") +
                    ", to 127.0.0.2: " + (reached2 ? "yes" : "no");
                ssh.terminate();
                wait_until([&] { return listening_on(port, dir) == "(nothing)"; }, io_timeout);
            }
        }
    }
    std::cout << "GatewayPorts matrix (policy / -R bind address: ss -ltn local addresses | "
                 "reachability)\n";
    for (const auto& [key, sshd] : results[0]) {
        std::cout << "  " << key << "\n    sshd:    " << sshd
                  << "\n    burrowd: " << results[1][key] << "\n";
        CHECK(results[1][key] == sshd);
    }
}

TEST_CASE("burrowd forwarding policy: refused requests refused and logged", "[forwarding-server]")
{
    EchoServer echo;
    ServedHost base(ServerKind::burrowd);
    const std::string& input = random_file(1);
    const std::string expected = sha256_of_file(input, base.dir.path());
    const std::string to_echo = "127.0.0.1:" + std::to_string(echo.port());
    struct Case {
        std::vector<std::string> options;
        std::string key_options;
        bool local_ok;
        bool remote_ok;
        std::string logged;
    };
    const std::vector<Case> cases = {
        {{"AllowTcpForwarding=no"}, "", false, false, "AllowTcpForwarding"},
        {{"AllowTcpForwarding=local"}, "", true, false, "AllowTcpForwarding"},
        {{"AllowTcpForwarding=remote"}, "", false, true, "AllowTcpForwarding"},
        {{"DisableForwarding=yes"}, "", false, false, "DisableForwarding"},
        {{"PermitOpen=127.0.0.1:1"}, "", false, true, "PermitOpen"},
        {{"PermitOpen=" + to_echo}, "", true, true, ""},
        {{"PermitOpen=*:" + std::to_string(echo.port())}, "", true, true, ""},
        {{"PermitListen=none"}, "", true, false, "PermitListen"},
        {{"PermitListen=localhost:*"}, "", true, true, ""},
        {{}, "no-port-forwarding", false, false, "no-port-forwarding"},
        {{}, "restrict", false, false, "no-port-forwarding"},
        {{}, "restrict,port-forwarding", true, true, ""},
        {{}, "permitopen=\"127.0.0.1:1\"", false, true, "permitopen"},
        {{}, "permitlisten=\"1:2\"", true, false, "permitlisten"},
    };
    for (const Case& c : cases) {
        TempDir dir;
        ::chmod(dir.path().c_str(), 0755);
        const std::string keys = dir.file("authorized_keys");
        write_text(keys,
                   c.key_options + (c.key_options.empty() ? "" : " ") +
                       base.user_key.public_blob_line() + " test\n",
                   0644);
        Server server(ServerKind::burrowd, dir,
                      ServerSettings{{base.host_key.private_path}, keys, c.options});
        const uint16_t local_port = free_loopback_port();
        const uint16_t remote_port = free_loopback_port();
        ClientOptions options;
        options.identity = base.user_key.private_path;
        options.known_hosts = "/dev/null";
        options.extra = {"-N", "-L", std::to_string(local_port) + ":" + to_echo, "-R",
                         std::to_string(remote_port) + ":" + to_echo};
        std::vector<std::string> cmd =
            client_command(ClientKind::openssh, server.port(), options, "");
        cmd.pop_back();
        Redirects redirects;
        redirects.stderr_path = dir.file("ssh.log");
        Process ssh(cmd, redirects);
        REQUIRE(
            wait_until([&] { return listening_on(local_port, dir) != "(nothing)"; }, io_timeout));
        // The remote forward's answer has come once the local one works or fails.
        const bool local = echo_through(local_port, input, dir) == expected;
        const bool remote =
            wait_until([&] { return listening_on(remote_port, dir) != "(nothing)"; },
                       c.remote_ok ? io_timeout : std::chrono::seconds(2));
        INFO("options " << (c.options.empty() ? "" : c.options[0]) << " key " << c.key_options
                        << "\nssh log:\n"
                        << read_text(dir.file("ssh.log")) << "\nburrowd log:\n"
                        << tail(server.log()));
        CHECK(local == c.local_ok);
        CHECK(remote == c.remote_ok);
        if (remote) {
            CHECK(echo_through(remote_port, input, dir) == expected);
        }
        if (!c.logged.empty()) {
            CHECK(wait_until([&] { return server.log().find(c.logged) != std::string::npos; },
                             io_timeout));
        }
    }
}

TEST_CASE("burrowd ClientAliveInterval drops a frozen client", "[forwarding-server]")
{
    ServedHost base(ServerKind::burrowd);
    TempDir dir;
    Server server(ServerKind::burrowd, dir,
                  settings_with(base, {"ClientAliveInterval=1", "ClientAliveCountMax=2"}));
    ClientOptions options;
    options.identity = base.user_key.private_path;
    options.known_hosts = "/dev/null";
    options.extra = {"-N", "-o", "ServerAliveInterval=0"};
    std::vector<std::string> cmd = client_command(ClientKind::openssh, server.port(), options, "");
    cmd.pop_back();
    Process ssh(cmd, Redirects{});
    REQUIRE(wait_until([&] { return server.log().find("Accepted publickey") != std::string::npos; },
                       io_timeout));
    // Alive while answering: several intervals pass without a drop.
    CHECK_FALSE(
        wait_until([&] { return server.log().find("Timeout, client not") != std::string::npos; },
                   std::chrono::seconds(4)));
    ::kill(ssh.pid(), SIGSTOP);
    const auto stopped = Clock::now();
    CHECK(wait_until(
        [&] { return server.log().find("Timeout, client not responding") != std::string::npos; },
        std::chrono::seconds(10)));
    const auto took = Clock::now() - stopped;
    INFO("burrowd log:\n" << tail(server.log()));
    CHECK(took >= std::chrono::seconds(2));
    CHECK(took < std::chrono::seconds(6));
    ::kill(ssh.pid(), SIGCONT);
}

TEST_CASE("ssh -D and -f -N through burrowd", "[forwarding-server]")
{
    ServedHost served(ServerKind::burrowd);
    const std::string& input = random_file(2);
    const std::string expected = sha256_of_file(input, served.dir.path());
    EchoServer web("", input);
    const uint16_t socks_port = free_loopback_port();
    auto ssh = start_ssh(
        served, {"-o", "ExitOnForwardFailure=yes", "-D", "127.0.0.1:" + std::to_string(socks_port)},
        served.dir.file("ssh-D.log"));
    REQUIRE(wait_until([&] { return listening_on(socks_port, served.dir) != "(nothing)"; },
                       io_timeout));
    const std::string url = "http://127.0.0.1:" + std::to_string(web.port()) + "/";
    for (const char* mode : {"--socks5-hostname", "--socks5", "--socks4a"}) {
        const std::string out = served.dir.file(std::string("curl") + mode);
        const RunResult r = run({"curl", "-sS", "--max-time", "20", mode,
                                 "127.0.0.1:" + std::to_string(socks_port), "-o", out, url},
                                RunOptions{served.dir.path()});
        INFO(mode << ": " << r.err << "\nburrowd log:\n" << tail(served.server.log()));
        CHECK(r.exit_code == 0);
        CHECK(sha256_of_file(out, served.dir.path()) == expected);
    }
    ssh->terminate();

    // -f: ssh goes to the background once authenticated and the forward is up.
    EchoServer echo;
    const uint16_t port = free_loopback_port();
    ClientOptions options;
    options.identity = served.user_key.private_path;
    options.known_hosts = "/dev/null";
    options.extra = {"-f", "-N",
                     "-o", "ExitOnForwardFailure=yes",
                     "-L", std::to_string(port) + ":127.0.0.1:" + std::to_string(echo.port())};
    std::vector<std::string> cmd =
        client_command(ClientKind::openssh, served.server.port(), options, "");
    cmd.pop_back();
    const RunResult started = run(cmd, RunOptions{served.dir.path()});
    REQUIRE(started.exit_code == 0);
    // The background ssh is the process listening on the port.
    const RunResult owner =
        run({"ss", "-ltnpH", "sport = :" + std::to_string(port)}, RunOptions{served.dir.path()});
    const auto at = owner.out.find("pid=");
    REQUIRE(at != std::string::npos);
    const pid_t pid = std::stoi(owner.out.substr(at + 4));
    CHECK(echo_through(port, input, served.dir) == expected);
    ::kill(pid, SIGTERM);
    CHECK(wait_until([&] { return listening_on(port, served.dir) == "(nothing)"; }, io_timeout));
}

TEST_CASE("streamlocal forwarding through burrowd", "[forwarding-server]")
{
    ServedHost served(ServerKind::burrowd);
    const std::string& input = random_file(1);
    const std::string expected = sha256_of_file(input, served.dir.path());
    EchoServer echo;
    EchoServer unix_echo(served.dir.file("echo.sock"));
    const uint16_t local_port = free_loopback_port();
    const std::string remote_socket = served.dir.file("fwd.sock");
    const std::string log = served.dir.file("ssh.log");
    // -L port:/socket -> direct-streamlocal; -R /socket:host:port -> streamlocal-forward.
    auto ssh = start_ssh(served,
                         {"-o", "ExitOnForwardFailure=yes", "-L",
                          std::to_string(local_port) + ":" + served.dir.file("echo.sock"), "-R",
                          remote_socket + ":127.0.0.1:" + std::to_string(echo.port())},
                         log);
    INFO("ssh log:\n" << read_text(log) << "\nburrowd log:\n" << tail(served.server.log()));
    REQUIRE(wait_until([&] { return listening_on(local_port, served.dir) != "(nothing)"; },
                       io_timeout));
    CHECK(echo_through(local_port, input, served.dir) == expected);
    struct stat st {};
    REQUIRE(wait_until([&] { return ::lstat(remote_socket.c_str(), &st) == 0; }, io_timeout));
    CHECK((st.st_mode & 0777) == 0600);  // StreamLocalBindMask 0177
    CHECK(echo_fd(connect_unix(remote_socket), input, served.dir) == expected);
    ssh->terminate();
    CHECK(wait_until([&] { return ::lstat(remote_socket.c_str(), &st) != 0; }, io_timeout));
}

TEST_CASE("burrowd binds remote forwards as the user; privileged ports only for root",
          "[forwarding-server]")
{
    constexpr const char* user = "burrowtest";
    TempDir scratch;
    if (::geteuid() != 0) {
        FAIL("these tests must run as root (burrowd switches to " << user << "), as in CI");
    }
    if (::getpwnam(user) == nullptr) {
        REQUIRE(
            run({"useradd", "-m", "-s", "/bin/sh", user}, RunOptions{scratch.path()}).exit_code ==
            0);
    }
    const uid_t uid = ::getpwnam(user)->pw_uid;
    ServedHost served(ServerKind::burrowd);
    ::chmod(served.dir.path().c_str(), 0755);
    ::chmod(served.authorized_keys.c_str(), 0644);
    EchoServer echo;
    const std::string to_echo = ":127.0.0.1:" + std::to_string(echo.port());
    const std::string log = served.dir.file("ssh-priv.log");
    auto refused = start_ssh_as(user, served.server.port(), served.user_key.private_path,
                                {"-o", "ExitOnForwardFailure=yes", "-R", "80" + to_echo}, log);
    const std::optional<int> code = refused->wait_for_exit(io_timeout);
    INFO("ssh log:\n" << read_text(log) << "\nburrowd log:\n" << tail(served.server.log()));
    CHECK(code == 255);
    CHECK_THAT(read_text(log), Catch::Contains("remote port forwarding failed"));
    CHECK_THAT(served.server.log(), Catch::Contains("privileged port"));

    const uint16_t port = free_loopback_port();
    auto ssh = start_ssh_as(user, served.server.port(), served.user_key.private_path,
                            {"-R", std::to_string(port) + to_echo}, log);
    REQUIRE(wait_until([&] { return listening_on(port, served.dir) != "(nothing)"; }, io_timeout));
    CHECK(listener_uid(port, served.dir) == static_cast<int>(uid));
}

TEST_CASE("256 parallel 10 MB transfers through one ssh -L to burrowd", "[forwarding-server]")
{
    ServedHost served(ServerKind::burrowd);
    EchoServer echo;
    const std::string& input = random_file(10);  // issue E: 256 x 10 MB
    const std::string expected = sha256_of_file(input, served.dir.path());
    const uint16_t port = free_loopback_port();
    const std::string log = served.dir.file("ssh.log");
    auto ssh = start_ssh(served,
                         {"-o", "ExitOnForwardFailure=yes", "-L",
                          std::to_string(port) + ":127.0.0.1:" + std::to_string(echo.port())},
                         log);
    REQUIRE(wait_until([&] { return listening_on(port, served.dir) != "(nothing)"; }, io_timeout));
    constexpr size_t connections = 256;
    std::vector<std::future<std::string>> results;
    for (size_t i = 0; i < connections; ++i) {
        results.push_back(std::async(std::launch::async, [&] {
            return echo_fd(connect_from("127.0.0.1", "127.0.0.1", port), input, served.dir,
                           std::chrono::seconds(280));
        }));
    }
    size_t intact = 0;
    for (auto& result : results) {
        intact += result.get() == expected ? 1 : 0;
    }
    INFO("ssh log:\n" << read_text(log) << "\nburrowd log:\n" << tail(served.server.log()));
    CHECK(intact == connections);
}

}  // namespace burrow::interop_test
