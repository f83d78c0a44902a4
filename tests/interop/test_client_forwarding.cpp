// burrow's port forwarding (issue E, client side) against OpenSSH sshd:
// -L and -R (TCP and Unix sockets) move random data through an echo server
// with checksums, -R 0 prints the port that really listens, -f goes to the
// background, ExitOnForwardFailure ends with 255, a refused target is
// reported, and ServerAliveInterval detects a server frozen by SIGSTOP.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <regex>
#include <stdexcept>
#include <thread>

#include "fixtures.h"
#include "tmux.h"

namespace burrow::interop_test {
namespace {

constexpr auto startup_timeout = std::chrono::seconds(20);
constexpr auto transfer_timeout = std::chrono::seconds(60);
constexpr unsigned transfer_mib = 4;

/// A socket address on loopback TCP or a Unix path.
struct Address {
    Address() = default;
    explicit Address(uint16_t tcp_port) : port(tcp_port) {}
    explicit Address(std::string unix_path) : path(std::move(unix_path)) {}
    uint16_t port = 0;
    std::string path;  ///< non-empty: Unix socket
};

int connect_to(const Address& address)
{
    if (!address.path.empty()) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un sun{};
        sun.sun_family = AF_UNIX;
        address.path.copy(sun.sun_path, sizeof(sun.sun_path) - 1);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&sun), sizeof(sun)) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(address.port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// True if a TCP connection to `ip`:`port` is accepted.
bool accepts_at(const std::string& ip, uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    ::inet_pton(AF_INET, ip.c_str(), &sin.sin_addr);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) == 0;
    ::close(fd);
    return ok;
}

bool accepts(const Address& address)
{
    const int fd = connect_to(address);
    if (fd < 0) {
        return false;
    }
    ::close(fd);
    return true;
}

/// A listening socket on loopback (port 0: any free port) or a Unix path.
int listen_on(Address& address)
{
    int fd = -1;
    if (!address.path.empty()) {
        fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un sun{};
        sun.sun_family = AF_UNIX;
        address.path.copy(sun.sun_path, sizeof(sun.sun_path) - 1);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&sun), sizeof(sun)) != 0) {
            throw std::runtime_error("cannot bind " + address.path);
        }
    } else {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(address.port);
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0) {
            throw std::runtime_error("cannot bind port " + std::to_string(address.port));
        }
        socklen_t len = sizeof(sin);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
        address.port = ntohs(sin.sin_port);
    }
    ::listen(fd, 64);
    return fd;
}

/// Echoes every byte of every connection back until the peer's EOF.
class EchoServer final {
public:
    explicit EchoServer(Address address) : m_address(std::move(address))
    {
        m_fd = listen_on(m_address);
        m_thread = std::thread([this] { serve(); });
    }
    ~EchoServer()
    {
        m_stop = true;
        m_thread.join();
        ::close(m_fd);
        for (std::thread& worker : m_workers) {
            worker.join();
        }
        if (!m_address.path.empty()) {
            ::unlink(m_address.path.c_str());
        }
    }
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;
    const Address& address() const { return m_address; }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) {
                continue;
            }
            const int conn = ::accept(m_fd, nullptr, nullptr);
            if (conn < 0) {
                continue;
            }
            m_workers.emplace_back([conn] {
                std::vector<char> buffer(65536);
                // Bounded: ends at the peer's EOF or an error (the peer is
                // itself bounded by transfer_timeout).
                while (true) {
                    const ssize_t n = ::read(conn, buffer.data(), buffer.size());
                    if (n <= 0) {
                        break;
                    }
                    ssize_t done = 0;
                    while (done < n) {
                        const ssize_t w = ::write(conn, buffer.data() + done, n - done);
                        if (w <= 0) {
                            break;
                        }
                        done += w;
                    }
                }
                ::close(conn);
            });
        }
    }

    Address m_address;
    int m_fd = -1;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::vector<std::thread> m_workers;
};

/// Send `input` through `address`, half-close, read everything back into
/// `output`. False on a connect failure or timeout.
bool transfer(const Address& address, const std::string& input, const std::string& output)
{
    const int fd = connect_to(address);
    if (fd < 0) {
        return false;
    }
    std::ifstream in(input, std::ios::binary);
    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    std::vector<char> chunk(65536);
    size_t pending = 0;
    size_t offset = 0;
    bool sent_all = false;
    const auto deadline = Clock::now() + transfer_timeout;
    while (Clock::now() < deadline) {
        if (!sent_all && pending == offset) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            pending = static_cast<size_t>(in.gcount());
            offset = 0;
            if (pending == 0) {
                sent_all = true;
                ::shutdown(fd, SHUT_WR);
            }
        }
        pollfd p{fd, static_cast<short>(POLLIN | (sent_all ? 0 : POLLOUT)), 0};
        if (::poll(&p, 1, 1000) <= 0) {
            continue;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buffer[65536];
            const ssize_t n = ::read(fd, buffer, sizeof(buffer));
            if (n <= 0) {
                ::close(fd);
                return sent_all && n == 0;
            }
            out.write(buffer, n);
        }
        if (!sent_all && (p.revents & POLLOUT)) {
            const ssize_t w = ::write(fd, chunk.data() + offset, pending - offset);
            if (w > 0) {
                offset += static_cast<size_t>(w);
            }
        }
    }
    ::close(fd);
    return false;
}

void check_transfer(const TempDir& dir, const Address& address)
{
    const std::string& input = random_file(transfer_mib);
    const std::string output = dir.file("echoed.bin");
    REQUIRE(transfer(address, input, output));
    CHECK(sha256_of_file(output, dir.path()) == sha256_of_file(input, dir.path()));
}

/// burrow with forwarding options and -N (or a command), in the background.
class Burrow final {
public:
    Burrow(const ServedHost& host, std::vector<std::string> options, const std::string& name)
        : m_err(host.dir.file(name + ".err"))
    {
        std::vector<std::string> argv =
            client_command(ClientKind::burrow, host.server.port(),
                           ClientOptions{host.user_key.private_path, host.dir.file("known_hosts"),
                                         "no", "", std::move(options)},
                           "");
        argv.pop_back();  // -N: no remote command
        m_process = std::make_unique<Process>(argv, Redirects{"/dev/null", "/dev/null", m_err});
    }
    Process& process() { return *m_process; }
    std::string log() const { return read_text(m_err); }

private:
    std::string m_err;
    std::unique_ptr<Process> m_process;
};

/// Pids of the processes holding the server side of connections to
/// 127.0.0.1:`port` (the server's per-connection processes), from ss(8).
std::vector<pid_t> server_side_pids(uint16_t port, const std::string& scratch)
{
    const std::vector<std::string> argv{"ss", "-tnpH", "state", "established",
                                        "( sport = :" + std::to_string(port) + " )"};
    const RunResult result = run(argv, RunOptions{scratch});
    std::vector<pid_t> pids;
    const std::regex pid_field("pid=([0-9]+)");
    for (auto it = std::sregex_iterator(result.out.begin(), result.out.end(), pid_field);
         it != std::sregex_iterator(); ++it) {
        pids.push_back(static_cast<pid_t>(std::stol((*it)[1].str())));
    }
    return pids;
}

/// SIGSTOP for some processes, SIGCONT again on destruction.
class Frozen final {
public:
    explicit Frozen(std::vector<pid_t> pids) : m_pids(std::move(pids))
    {
        for (const pid_t pid : m_pids) {
            ::kill(pid, SIGSTOP);
        }
    }
    ~Frozen()
    {
        for (const pid_t pid : m_pids) {
            ::kill(pid, SIGCONT);
        }
    }
    Frozen(const Frozen&) = delete;
    Frozen& operator=(const Frozen&) = delete;

private:
    std::vector<pid_t> m_pids;
};

std::vector<ServerKind> server_kinds()
{
    return {ServerKind::openssh, ServerKind::burrowd};
}

}  // namespace

TEST_CASE("burrow -L and -R move data with checksums intact", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            EchoServer echo(Address{});
            const std::string target = "127.0.0.1:" + std::to_string(echo.address().port);
            const uint16_t local_port = free_loopback_port();
            const uint16_t remote_port = free_loopback_port();
            Burrow burrow(host,
                          {"-N", "-L", std::to_string(local_port) + ":" + target, "-R",
                           std::to_string(remote_port) + ":" + target},
                          "lr");
            INFO(burrow.log());
            REQUIRE(wait_for_port(local_port, burrow.process(), startup_timeout));
            check_transfer(host.dir, Address(local_port));
            // -R: the server listens once it answered the request.
            REQUIRE(wait_until([&] { return accepts(Address(remote_port)); }, startup_timeout));
            check_transfer(host.dir, Address(remote_port));
            CHECK(burrow.process().running());
        }
    }
}

TEST_CASE("burrow -R 0 prints the port that is listening", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            EchoServer echo(Address{});
            const std::string target = "127.0.0.1:" + std::to_string(echo.address().port);
            // Bound to 127.0.0.1 only: for "localhost" a server binds ::1 and 127.0.0.1 on the
            // port the first bind got, and the second bind can fail when that port is busy on
            // the other family (sshd then listens on one family only) - the test connects over
            // IPv4, so it asks for exactly that.
            Burrow burrow(host, {"-N", "-R", "127.0.0.1:0:" + target}, "r0");
            const std::regex allocated("Allocated port ([0-9]+) for remote forward to " + target);
            std::smatch match;
            std::string log;
            REQUIRE(wait_until(
                [&] {
                    log = burrow.log();
                    return std::regex_search(log, match, allocated);
                },
                startup_timeout));
            INFO(log);
            const auto port = static_cast<uint16_t>(std::stoi(match[1].str()));
            CHECK(port != 0);
            check_transfer(host.dir, Address(port));
        }
    }
}

TEST_CASE("burrow forwards Unix sockets both ways", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            EchoServer echo(Address(host.dir.file("echo.sock")));
            const std::string local = host.dir.file("local.sock");
            const std::string remote = host.dir.file("remote.sock");
            // -L from a local socket to the "remote" one, -R from a server
            // socket back to ours (loopback: both ends are this machine).
            Burrow burrow(host,
                          {"-N", "-L", local + ":" + echo.address().path, "-R",
                           remote + ":" + echo.address().path},
                          "unix");
            INFO(burrow.log());
            REQUIRE(wait_until([&] { return accepts(Address(local)); }, startup_timeout));
            check_transfer(host.dir, Address(local));
            REQUIRE(wait_until([&] { return accepts(Address(remote)); }, startup_timeout));
            check_transfer(host.dir, Address(remote));
        }
    }
}

TEST_CASE("ExitOnForwardFailure ends burrow with 255", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            // The port is taken on every address (IPv4 and IPv6 loopback alike).
            const int busy_fd = ::socket(AF_INET6, SOCK_STREAM, 0);
            const int off = 0;
            ::setsockopt(busy_fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
            sockaddr_in6 any{};
            any.sin6_family = AF_INET6;
            any.sin6_addr = in6addr_any;
            REQUIRE(::bind(busy_fd, reinterpret_cast<sockaddr*>(&any), sizeof(any)) == 0);
            REQUIRE(::listen(busy_fd, 4) == 0);
            socklen_t len = sizeof(any);
            ::getsockname(busy_fd, reinterpret_cast<sockaddr*>(&any), &len);
            const std::string port = std::to_string(ntohs(any.sin6_port));
            std::vector<std::string> argv = client_command(
                ClientKind::burrow, host.server.port(),
                ClientOptions{
                    host.user_key.private_path,
                    host.dir.file("known_hosts"),
                    "no",
                    "",
                    {"-N", "-o", "ExitOnForwardFailure=yes", "-L", port + ":127.0.0.1:9"}},
                "");
            argv.pop_back();
            RunResult result = run(argv, RunOptions{host.dir.path()});
            INFO(describe(argv, result));
            CHECK(result.exit_code == 255);
            CHECK(result.err.find("bind [127.0.0.1]:" + port + ": Address already in use") !=
                  std::string::npos);
            CHECK(result.err.find("Could not request local forwarding.") != std::string::npos);

            // -R to a port already taken on the server's side.
            argv = client_command(ClientKind::burrow, host.server.port(),
                                  ClientOptions{host.user_key.private_path,
                                                host.dir.file("known_hosts"),
                                                "no",
                                                "",
                                                {"-N", "-o", "ExitOnForwardFailure=yes", "-R",
                                                 port + ":127.0.0.1:9"}},
                                  "");
            argv.pop_back();
            result = run(argv, RunOptions{host.dir.path()});
            INFO(describe(argv, result));
            CHECK(result.exit_code == 255);
            CHECK(result.err.find("Error: remote port forwarding failed for listen port " + port) !=
                  std::string::npos);
            ::close(busy_fd);
        }
    }
}

TEST_CASE("a refused -L target is reported and burrow carries on", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            const uint16_t closed_port = free_loopback_port();  // nothing listens there
            const uint16_t local_port = free_loopback_port();
            Burrow burrow(
                host,
                {"-N", "-L",
                 std::to_string(local_port) + ":127.0.0.1:" + std::to_string(closed_port)},
                "refused");
            REQUIRE(wait_for_port(local_port, burrow.process(), startup_timeout));
            const int fd = connect_to(Address(local_port));
            REQUIRE(fd >= 0);
            // The forwarded connection is closed: read() ends with EOF.
            pollfd p{fd, POLLIN, 0};
            CHECK(::poll(&p, 1, 20000) == 1);
            char byte = 0;
            CHECK(::read(fd, &byte, 1) <= 0);
            ::close(fd);
            CHECK(
                wait_until([&] { return burrow.log().find("open failed: ") != std::string::npos; },
                           startup_timeout));
            INFO(burrow.log());
            CHECK(burrow.log().find("Connection refused") != std::string::npos);
            CHECK(burrow.process().running());
        }
    }
}

TEST_CASE("burrow -f goes to the background with its forwards", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            EchoServer echo(Address{});
            const uint16_t local_port = free_loopback_port();
            // The remote command bounds the background process's life.
            const std::vector<std::string> argv = client_command(
                ClientKind::burrow, host.server.port(),
                ClientOptions{host.user_key.private_path,
                              host.dir.file("known_hosts"),
                              "no",
                              "",
                              {"-f", "-o", "ExitOnForwardFailure=yes", "-L",
                               std::to_string(local_port) +
                                   ":127.0.0.1:" + std::to_string(echo.address().port)}},
                "sleep 8");
            const RunResult result = run(argv, RunOptions{host.dir.path()});
            INFO(describe(argv, result));
            REQUIRE(result.exit_code == 0);
            // The foreground process has exited; the background one forwards.
            check_transfer(host.dir, Address(local_port));
            // ...and ends with its remote command.
            CHECK(wait_until([&] { return !accepts(Address(local_port)); },
                             std::chrono::seconds(30)));

            // -f needs a command or -N, as ssh(1).
            std::vector<std::string> bare = client_command(
                ClientKind::burrow, host.server.port(),
                ClientOptions{
                    host.user_key.private_path, host.dir.file("known_hosts"), "no", "", {"-f"}},
                "");
            bare.pop_back();
            const RunResult refused = run(bare, RunOptions{host.dir.path()});
            INFO(describe(bare, refused));
            CHECK(refused.exit_code == 255);
            CHECK(refused.err.find("Cannot fork into background without a command") !=
                  std::string::npos);
        }
    }
}

TEST_CASE("ServerAliveInterval detects a frozen server", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            const uint16_t local_port = free_loopback_port();
            // The -L listener opens after authentication: then the session is up.
            Burrow burrow(host,
                          {"-N", "-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=2", "-L",
                           std::to_string(local_port) + ":127.0.0.1:9"},
                          "alive");
            REQUIRE(wait_for_port(local_port, burrow.process(), startup_timeout));
            const std::vector<pid_t> pids = server_side_pids(host.server.port(), host.dir.path());
            REQUIRE_FALSE(pids.empty());
            const auto start = Clock::now();
            const Frozen frozen(pids);
            // 1 s x 2 unanswered keepalives, then the timeout: well within 20 s.
            const std::optional<int> code =
                burrow.process().wait_for_exit(std::chrono::seconds(20));
            INFO(burrow.log());
            REQUIRE(code);
            CHECK(*code == 255);
            CHECK(Clock::now() - start >= std::chrono::seconds(2));
            CHECK(burrow.log().find("Timeout, server 127.0.0.1 not responding.") !=
                  std::string::npos);
        }
    }
}

TEST_CASE("burrow -L binds loopback, every address with -g, or the address given",
          "[interop][forward][client]")
{
    ServedHost host(ServerKind::openssh);
    const uint16_t plain = free_loopback_port();
    const uint16_t gateway = free_loopback_port();
    const uint16_t explicit_port = free_loopback_port();
    Burrow loopback(host, {"-N", "-L", std::to_string(plain) + ":127.0.0.1:9"}, "plain");
    Burrow all(host, {"-N", "-g", "-L", std::to_string(gateway) + ":127.0.0.1:9"}, "gateway");
    Burrow given(host, {"-N", "-L", "127.0.0.3:" + std::to_string(explicit_port) + ":127.0.0.1:9"},
                 "explicit");
    REQUIRE(wait_for_port(plain, loopback.process(), startup_timeout));
    REQUIRE(wait_for_port(gateway, all.process(), startup_timeout));
    REQUIRE(wait_until([&] { return accepts_at("127.0.0.3", explicit_port); }, startup_timeout));
    // 127.0.0.3 is another local address: only a wildcard or explicit bind takes it.
    CHECK_FALSE(accepts_at("127.0.0.3", plain));
    CHECK(accepts_at("127.0.0.3", gateway));
    CHECK_FALSE(accepts_at("127.0.0.1", explicit_port));
}

TEST_CASE("~C adds and cancels forwards at run time", "[interop][forward][client]")
{
    for (const ServerKind kind : server_kinds()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            ServedHost host(kind);
            EchoServer echo(Address{});
            const std::string target = "127.0.0.1:" + std::to_string(echo.address().port);
            const uint16_t local_port = free_loopback_port();
            const uint16_t remote_port = free_loopback_port();
            std::vector<std::string> argv = client_command(
                ClientKind::burrow, host.server.port(),
                ClientOptions{
                    host.user_key.private_path, host.dir.file("known_hosts"), "no", "", {"-tt"}},
                "echo SESSION-UP; sleep 120");
            std::string command;
            for (const std::string& arg : argv) {
                command += "'" + arg + "' ";
            }
            Tmux tmux(host.dir, command + "2>&1");
            // Escapes work once the session is up (the terminal is raw then).
            REQUIRE(tmux.wait_for("SESSION-UP", startup_timeout));
            // -L added with ~C listens; -KL stops it. (A leading blank, which
            // burrow skips, keeps tmux send-keys from taking "-L" as its option.)
            tmux.keys({"Enter"});
            tmux.type("~C");
            const bool prompted = tmux.wait_for("burrow>");
            INFO(tmux.screen());
            REQUIRE(prompted);
            tmux.type_line(" -L " + std::to_string(local_port) + ":" + target);
            const bool forwarding = tmux.wait_for("Forwarding port.");
            UNSCOPED_INFO(tmux.screen());
            REQUIRE(forwarding);
            check_transfer(host.dir, Address(local_port));
            tmux.keys({"Enter"});
            tmux.type("~C");
            tmux.type_line(" -KL " + std::to_string(local_port));
            REQUIRE(tmux.wait_for("Canceled forwarding."));
            CHECK(wait_until([&] { return !accepts(Address(local_port)); }, startup_timeout));
            // -R added with ~C: the server listens; -KR sends cancel-tcpip-forward.
            tmux.keys({"Enter"});
            tmux.type("~C");
            tmux.type_line(" -R " + std::to_string(remote_port) + ":" + target);
            REQUIRE(wait_until([&] { return accepts(Address(remote_port)); }, startup_timeout));
            check_transfer(host.dir, Address(remote_port));
            tmux.keys({"Enter"});
            tmux.type("~C");
            tmux.type_line(" -KR " + std::to_string(remote_port));
            REQUIRE(tmux.wait_for_count("Canceled forwarding.", 2));
            CHECK(wait_until([&] { return !accepts(Address(remote_port)); }, startup_timeout));
            INFO(tmux.screen());
            tmux.keys({"Enter"});
            tmux.type("~.");
        }
    }
}

}  // namespace burrow::interop_test
