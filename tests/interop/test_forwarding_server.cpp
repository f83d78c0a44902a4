// Port forwarding to burrowd (RFC 4254 §7): OpenSSH ssh -L / -R / -R 0
// moving data with checksums through an echo server in this process; the
// GatewayPorts matrix against burrowd and OpenSSH sshd (what `ss -ltnH`
// shows bound, and whether a connection from 127.0.0.3 to 127.0.0.3 reaches
// the forward), which must agree; the policy keywords; ClientAliveInterval.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <pwd.h>
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto io_timeout = std::chrono::seconds(20);

/// A loopback TCP (or Unix socket) server on its own thread, handling one
/// connection at a time: echoes each back until EOF, or with `http_file`
/// answers one HTTP request with that file's bytes and closes.
class EchoServer final {
public:
    explicit EchoServer(std::string unix_path = "", std::string http_file = "")
        : m_fd(::socket(unix_path.empty() ? AF_INET : AF_UNIX, SOCK_STREAM, 0)),
          m_http_file(std::move(http_file))
    {
        if (!unix_path.empty()) {
            sockaddr_un un{};
            un.sun_family = AF_UNIX;
            unix_path.copy(un.sun_path, sizeof(un.sun_path) - 1);
            if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&un), sizeof(un)) != 0 ||
                ::listen(m_fd, 64) != 0) {
                throw std::runtime_error("echo server: cannot listen on " + unix_path);
            }
            m_thread = std::thread([this] { serve(); });
            return;
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr);
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
            ::listen(m_fd, 64) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("echo server: cannot listen");
        }
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~EchoServer()
    {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        m_thread.join();
        ::close(m_fd);
    }
    uint16_t port() const { return m_port; }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) {
                continue;
            }
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0) {
                continue;
            }
            if (!m_http_file.empty()) {
                answer_http(c);
                ::close(c);
                continue;
            }
            char buf[65536];
            const auto deadline = Clock::now() + io_timeout;
            while (!m_stop && Clock::now() < deadline) {
                pollfd q{c, POLLIN, 0};
                if (::poll(&q, 1, 200) <= 0) {
                    continue;
                }
                const ssize_t n = ::read(c, buf, sizeof(buf));
                if (n <= 0) {
                    break;
                }
                for (ssize_t off = 0; off < n;) {
                    const ssize_t w = ::write(c, buf + off, static_cast<size_t>(n - off));
                    if (w <= 0) {
                        break;
                    }
                    off += w;
                }
            }
            ::close(c);
        }
    }

    /// Read the request head (bounded), then send the file as the body.
    void answer_http(int c)
    {
        std::string head;
        char buf[4096];
        const auto deadline = Clock::now() + io_timeout;
        while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536 &&
               Clock::now() < deadline) {
            pollfd q{c, POLLIN, 0};
            if (::poll(&q, 1, 200) <= 0) {
                continue;
            }
            const ssize_t n = ::read(c, buf, sizeof(buf));
            if (n <= 0) {
                return;
            }
            head.append(buf, static_cast<size_t>(n));
        }
        std::ifstream in(m_http_file, std::ios::binary);
        const std::string body((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        const std::string reply =
            "HTTP/1.0 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        for (size_t off = 0; off < reply.size();) {
            const ssize_t w = ::send(c, reply.data() + off, reply.size() - off, MSG_NOSIGNAL);
            if (w <= 0) {
                return;
            }
            off += static_cast<size_t>(w);
        }
    }

    int m_fd;
    std::string m_http_file;
    uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

/// Connect from `source` to `dest`:`port`; -1 if refused or unreachable.
int connect_from(const std::string& source, const std::string& dest, uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &src.sin_addr);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(port);
    ::inet_pton(AF_INET, dest.c_str(), &dst.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof(src)) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Connect to the Unix socket `path`; -1 on failure.
int connect_unix(const std::string& path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    path.copy(un.sun_path, sizeof(un.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&un), sizeof(un)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::string echo_fd(int fd, const std::string& path, const TempDir& dir);

/// Send `path`'s bytes through the forward at 127.0.0.1:`port` (from
/// `source`) and return the SHA-256 of what comes back ("" on failure).
std::string echo_through(uint16_t port, const std::string& path, const TempDir& dir,
                         const std::string& source = "127.0.0.1",
                         const std::string& dest = "127.0.0.1")
{
    return echo_fd(connect_from(source, dest, port), path, dir);
}

/// Send `path`'s bytes on `fd` (closed here), half-close, and return the
/// SHA-256 of everything read back ("" if `fd` is -1).
std::string echo_fd(int fd, const std::string& path, const TempDir& dir)
{
    if (fd < 0) {
        return "";
    }
    static int serial = 0;
    const std::string back_path = dir.file("echoed." + std::to_string(++serial));
    std::thread writer([fd, path] {
        std::ifstream in(path, std::ios::binary);
        char buf[65536];
        while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
            const char* p = buf;
            size_t left = static_cast<size_t>(in.gcount());
            while (left > 0) {
                const ssize_t w = ::send(fd, p, left, MSG_NOSIGNAL);
                if (w <= 0) {
                    return;
                }
                p += w;
                left -= static_cast<size_t>(w);
            }
        }
        ::shutdown(fd, SHUT_WR);
    });
    std::ofstream out(back_path, std::ios::binary);
    const auto deadline = Clock::now() + io_timeout;
    char buf[65536];
    while (Clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) {
            continue;
        }
        const ssize_t n = ::read(fd, buf, sizeof(buf));
        if (n <= 0) {
            break;
        }
        out.write(buf, n);
    }
    out.close();
    writer.join();
    ::close(fd);
    return sha256_of_file(back_path, dir.path());
}

/// OpenSSH ssh -N with `forward_args` to `served` as root, in the background.
std::unique_ptr<Process> start_ssh(const ServedHost& served, const std::vector<std::string>& args,
                                   const std::string& log)
{
    std::vector<std::string> extra = {"-N"};
    extra.insert(extra.end(), args.begin(), args.end());
    ClientOptions options;
    options.identity = served.user_key.private_path;
    options.known_hosts = "/dev/null";
    options.extra = extra;
    std::vector<std::string> argv =
        client_command(ClientKind::openssh, served.server.port(), options, "");
    argv.pop_back();  // no remote command with -N
    // ssh prints "Allocated port N ..." at LogLevel INFO (the fixture's is ERROR).
    std::replace(argv.begin(), argv.end(), std::string("LogLevel=ERROR"),
                 std::string("LogLevel=INFO"));
    Redirects redirects;
    redirects.stderr_path = log;
    return std::make_unique<Process>(argv, redirects);
}

/// `ss -ltnH` local addresses listening on `port`, sorted, space-separated.
std::string listening_on(uint16_t port, const TempDir& dir)
{
    const RunResult r =
        run({"ss", "-ltnH", "sport = :" + std::to_string(port)}, RunOptions{dir.path()});
    std::vector<std::string> found;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string state, recv, send, local;
        fields >> state >> recv >> send >> local;
        found.push_back(local.substr(0, local.rfind(':')));
    }
    std::sort(found.begin(), found.end());
    std::string out;
    for (const std::string& f : found) {
        out += (out.empty() ? "" : " ") + f;
    }
    return out.empty() ? "(nothing)" : out;
}

ServerSettings settings_with(const ServedHost& base, std::vector<std::string> options)
{
    return ServerSettings{{base.host_key.private_path}, base.authorized_keys, std::move(options)};
}

/// ssh as `user` (not root) to 127.0.0.1:`port` with `args`, -N, in the background.
std::unique_ptr<Process> start_ssh_as(const std::string& user, uint16_t port,
                                      const std::string& key, const std::vector<std::string>& args,
                                      const std::string& log)
{
    std::vector<std::string> argv = {tools().ssh, "-F",
                                     "/dev/null", "-N",
                                     "-p",        std::to_string(port),
                                     "-i",        key,
                                     "-o",        "IdentitiesOnly=yes",
                                     "-o",        "StrictHostKeyChecking=no",
                                     "-o",        "UserKnownHostsFile=/dev/null",
                                     "-o",        "GlobalKnownHostsFile=/dev/null",
                                     "-o",        "BatchMode=yes"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back(user + "@127.0.0.1");
    Redirects redirects;
    redirects.stderr_path = log;
    return std::make_unique<Process>(argv, redirects);
}

/// The owner uid `ss -ltne` reports for the listener on `port` (0 for root,
/// which ss leaves out), or -1 if nothing listens.
int listener_uid(uint16_t port, const TempDir& dir)
{
    const RunResult r =
        run({"ss", "-ltneH", "sport = :" + std::to_string(port)}, RunOptions{dir.path()});
    if (r.out.empty()) {
        return -1;
    }
    const auto at = r.out.find("uid:");
    return at == std::string::npos ? 0 : std::stoi(r.out.substr(at + 4));
}

}  // namespace

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

}  // namespace burrow::interop_test
