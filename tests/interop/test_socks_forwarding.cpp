// SOCKS through burrow (issue E): burrow -D is a local SOCKS4/4a/5 entry
// whose connections leave through the server (direct-tcpip), and burrow -R
// [bind:]port makes the server's port a SOCKS entry whose connections leave
// from the client (reverse dynamic forwarding). curl fetches a file from a
// local HTTP server (python3 -m http.server, dual-stack on ::) through each
// proxy form; the checksums must match. A refused target fails cleanly and
// the tunnel keeps working; raw clients check pipelined bytes and garbage.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <stdexcept>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto startup_timeout = std::chrono::seconds(20);
constexpr auto fetch_timeout = std::chrono::seconds(60);
/// Size of the downloaded file: several channel windows.
constexpr unsigned download_mib = 8;
/// Seconds a raw socket read may block before the test gives up.
constexpr int raw_read_timeout_seconds = 20;

/// python3's HTTP server serving a random file as /file.bin, on [::] (so
/// both 127.0.0.1 and ::1 reach it) and a free port.
class HttpServer final {
public:
    explicit HttpServer(const TempDir& dir)
        : m_port(free_loopback_port()), m_root(dir.file("www")), m_log(dir.file("http.log"))
    {
        ::mkdir(m_root.c_str(), 0755);
        if (::symlink(random_file(download_mib).c_str(), (m_root + "/file.bin").c_str()) != 0) {
            throw std::runtime_error("cannot link the download file into " + m_root);
        }
        m_process = std::make_unique<Process>(
            std::vector<std::string>{"python3", "-m", "http.server", "-b", "::", "-d", m_root,
                                     std::to_string(m_port)},
            Redirects{"/dev/null", "/dev/null", m_log});
        if (!wait_for_port(m_port, *m_process, startup_timeout)) {
            throw std::runtime_error("python3 -m http.server did not start: " + read_text(m_log));
        }
    }
    uint16_t port() const { return m_port; }
    std::string url(const std::string& host) const
    {
        return "http://" + host + ":" + std::to_string(m_port) + "/file.bin";
    }

private:
    uint16_t m_port;
    std::string m_root;
    std::string m_log;
    std::unique_ptr<Process> m_process;
};

/// burrow -N with `forward` ("-D" or "-R") on `bind`:port, until the SOCKS
/// port accepts connections on 127.0.0.1.
class Tunnel final {
public:
    Tunnel(const ServedHost& host, const std::string& forward,
           const std::string& bind = "127.0.0.1")
        : m_port(free_loopback_port()), m_err(host.dir.file("burrow" + forward + ".err"))
    {
        std::vector<std::string> argv =
            client_command(ClientKind::burrow, host.server.port(),
                           ClientOptions{host.user_key.private_path,
                                         host.dir.file("known_hosts"),
                                         "no",
                                         "",
                                         {"-N", forward, bind + ":" + std::to_string(m_port)}},
                           "");
        argv.pop_back();  // -N: no remote command
        m_process = std::make_unique<Process>(argv, Redirects{"/dev/null", "/dev/null", m_err});
        if (!wait_for_port(m_port, *m_process, startup_timeout)) {
            throw std::runtime_error("burrow " + forward + " did not listen on " +
                                     std::to_string(m_port) + ": " + read_text(m_err));
        }
    }
    uint16_t port() const { return m_port; }
    std::string proxy() const { return "127.0.0.1:" + std::to_string(m_port); }
    std::string log() const { return read_text(m_err); }
    bool running() { return m_process->running(); }

private:
    uint16_t m_port;
    std::string m_err;
    std::unique_ptr<Process> m_process;
};

/// curl through the proxy; the body goes to `out`.
RunResult fetch(const TempDir& dir, const std::string& proxy_flag, const std::string& proxy,
                const std::string& url, const std::string& out)
{
    const std::vector<std::string> argv{"curl",     "-sS", "--fail", "--max-time", "60",
                                        proxy_flag, proxy, "-o",     out,          url};
    const RunResult result = run(argv, RunOptions{dir.path(), fetch_timeout});
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

void check_download(const TempDir& dir, const std::string& proxy_flag, const std::string& proxy,
                    const std::string& url)
{
    const std::string out = dir.file("download" + std::to_string(std::rand()));
    const RunResult result = fetch(dir, proxy_flag, proxy, url, out);
    REQUIRE(result.exit_code == 0);
    CHECK(sha256_of_file(out, dir.path()) == sha256_of_file(random_file(download_mib), dir.path()));
    ::unlink(out.c_str());
}

/// A blocking loopback TCP client with a read timeout, for raw SOCKS bytes.
class RawClient final {
public:
    explicit RawClient(uint16_t port) : m_fd(::socket(AF_INET, SOCK_STREAM, 0))
    {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const timeval limit{raw_read_timeout_seconds, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr)) {
            throw std::runtime_error("cannot connect to port " + std::to_string(port));
        }
    }
    ~RawClient() { ::close(m_fd); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(const std::string& bytes) const
    {
        REQUIRE(::write(m_fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    }
    /// Everything until the peer closes (or the read timeout, or `limit` bytes).
    std::string read_all(size_t limit = 1 << 20)
    {
        std::string got;
        char buffer[4096];
        while (got.size() < limit) {
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n <= 0) {
                m_closed = n == 0;
                break;
            }
            got.append(buffer, static_cast<size_t>(n));
        }
        return got;
    }
    /// The peer closed the connection (rather than the read timing out).
    bool closed() const { return m_closed; }

private:
    int m_fd;
    bool m_closed = false;
};

std::string socks5_connect_localhost(uint16_t port)
{
    std::string request("\x05\x01\x00", 3);  // greeting: no authentication
    request += std::string("\x05\x01\x00\x03", 4);
    request += static_cast<char>(9);
    request += "localhost";
    request += static_cast<char>(port >> 8);
    request += static_cast<char>(port & 0xFF);
    return request;
}

}  // namespace

TEST_CASE("curl through burrow -D with every SOCKS form", "[socks][dynamic]")
{
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO("server: " << name_of(kind));
    const ServedHost served(kind);
    const HttpServer http(served.dir);
    Tunnel tunnel(served, "-D");
    SECTION("SOCKS5 with the host name resolved by the server")
    {
        check_download(served.dir, "--socks5-hostname", tunnel.proxy(), http.url("localhost"));
    }
    SECTION("SOCKS5 with an IPv4 address")
    {
        check_download(served.dir, "--socks5", tunnel.proxy(), http.url("127.0.0.1"));
    }
    SECTION("SOCKS5 with an IPv6 address")
    {
        check_download(served.dir, "--socks5", tunnel.proxy(), http.url("[::1]"));
    }
    SECTION("SOCKS4a with a host name")
    {
        check_download(served.dir, "--socks4a", tunnel.proxy(), http.url("localhost"));
    }
    SECTION("SOCKS4 with an IPv4 address")
    {
        check_download(served.dir, "--socks4", tunnel.proxy(), http.url("127.0.0.1"));
    }
    CHECK(tunnel.running());
    INFO(tunnel.log());
}

TEST_CASE("burrow -D localhost:port listens on 127.0.0.1 and ::1", "[socks][dynamic]")
{
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO("server: " << name_of(kind));
    const ServedHost served(kind);
    const HttpServer http(served.dir);
    Tunnel tunnel(served, "-D", "localhost");
    const std::string proxy = GENERATE("127.0.0.1", "[::1]");
    check_download(served.dir, "--socks5-hostname", proxy + ":" + std::to_string(tunnel.port()),
                   http.url("localhost"));
}

TEST_CASE("burrow -D: parallel downloads each get their own channel", "[socks][dynamic]")
{
    constexpr int parallel = 8;
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO("server: " << name_of(kind));
    const ServedHost served(kind);
    const HttpServer http(served.dir);
    Tunnel tunnel(served, "-D");
    std::vector<std::unique_ptr<Process>> curls;
    std::vector<std::string> outputs;
    for (int i = 0; i < parallel; ++i) {
        outputs.push_back(served.dir.file("parallel" + std::to_string(i)));
        curls.push_back(std::make_unique<Process>(
            std::vector<std::string>{"curl", "-sS", "--fail", "--max-time", "60",
                                     "--socks5-hostname", tunnel.proxy(), "-o", outputs.back(),
                                     http.url("localhost")},
            Redirects{}));
    }
    const std::string expected = sha256_of_file(random_file(download_mib), served.dir.path());
    for (int i = 0; i < parallel; ++i) {
        INFO("download " << i << "; burrow: " << tunnel.log());
        REQUIRE(curls[static_cast<size_t>(i)]->wait_for_exit(fetch_timeout) == 0);
        CHECK(sha256_of_file(outputs[static_cast<size_t>(i)], served.dir.path()) == expected);
    }
}

TEST_CASE("burrow -D: a refused target fails the request, the tunnel stays", "[socks][dynamic]")
{
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO("server: " << name_of(kind));
    const ServedHost served(kind);
    const HttpServer http(served.dir);
    Tunnel tunnel(served, "-D");
    const std::string closed = "http://127.0.0.1:" + std::to_string(free_loopback_port()) + "/";
    const std::string flag = GENERATE("--socks5", "--socks4");
    const RunResult refused = fetch(served.dir, flag, tunnel.proxy(), closed, "/dev/null");
    CHECK(refused.exit_code != 0);
    CHECK_FALSE(refused.timed_out);
    REQUIRE(wait_until([&] { return tunnel.log().find("open failed") != std::string::npos; },
                       startup_timeout));
    CHECK(tunnel.running());
    check_download(served.dir, flag, tunnel.proxy(), http.url("127.0.0.1"));
}

TEST_CASE("burrow -D: bytes sent right after the request reach the target", "[socks][dynamic]")
{
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO("server: " << name_of(kind));
    const ServedHost served(kind);
    const HttpServer http(served.dir);
    Tunnel tunnel(served, "-D");
    RawClient client(tunnel.port());
    // Greeting, request and the HTTP request in one write, before any reply.
    client.send(socks5_connect_localhost(http.port()) +
                "GET /file.bin HTTP/1.0\r\nHost: localhost\r\n\r\n");
    const std::string got = client.read_all(2 + 10 + 4096);
    REQUIRE(got.size() >= 2 + 10);
    CHECK(got.substr(0, 2) == std::string("\x05\x00", 2));
    CHECK(got.substr(2, 2) == std::string("\x05\x00", 2));
    CHECK(got.substr(12, 12) == "HTTP/1.0 200");
}

TEST_CASE("burrow -D: garbage and refused methods end the connection only", "[socks][dynamic]")
{
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO("server: " << name_of(kind));
    const ServedHost served(kind);
    const HttpServer http(served.dir);
    Tunnel tunnel(served, "-D");
    SECTION("not SOCKS at all")
    {
        RawClient client(tunnel.port());
        client.send("GET / HTTP/1.0\r\n\r\n");
        CHECK(client.read_all().empty());
        CHECK(client.closed());
    }
    SECTION("SOCKS5 offering only username/password")
    {
        RawClient client(tunnel.port());
        client.send(std::string("\x05\x01\x02", 3));
        CHECK(client.read_all() == std::string("\x05\xFF", 2));
        CHECK(client.closed());
    }
    SECTION("SOCKS5 BIND")
    {
        RawClient client(tunnel.port());
        client.send(std::string("\x05\x01\x00\x05\x02\x00\x01\x7f\x00\x00\x01\x00\x50", 13));
        const std::string got = client.read_all();
        REQUIRE(got.size() == 12);
        CHECK(got[3] == '\x07');
        CHECK(client.closed());
    }
    CHECK(tunnel.running());
    check_download(served.dir, "--socks5-hostname", tunnel.proxy(), http.url("localhost"));
}

TEST_CASE("curl through the server's port of burrow -R (reverse dynamic)", "[socks][reverse]")
{
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO("server: " << name_of(kind));
    const ServedHost served(kind);
    const HttpServer http(served.dir);
    Tunnel tunnel(served, "-R");
    SECTION("SOCKS5 with a host name resolved by burrow")
    {
        check_download(served.dir, "--socks5-hostname", tunnel.proxy(), http.url("localhost"));
    }
    SECTION("SOCKS5 with an IPv6 address")
    {
        check_download(served.dir, "--socks5", tunnel.proxy(), http.url("[::1]"));
    }
    SECTION("SOCKS4a")
    {
        check_download(served.dir, "--socks4a", tunnel.proxy(), http.url("localhost"));
    }
    SECTION("SOCKS4")
    {
        check_download(served.dir, "--socks4", tunnel.proxy(), http.url("127.0.0.1"));
    }
    SECTION("a refused target, then a working one")
    {
        const std::string closed = "http://127.0.0.1:" + std::to_string(free_loopback_port()) + "/";
        CHECK(fetch(served.dir, "--socks5", tunnel.proxy(), closed, "/dev/null").exit_code != 0);
        check_download(served.dir, "--socks5", tunnel.proxy(), http.url("127.0.0.1"));
    }
    CHECK(tunnel.running());
    INFO(tunnel.log());
}

}  // namespace burrow::interop_test
