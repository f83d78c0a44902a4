#include "forwarding_helpers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace burrow::interop_test {

EchoServer::EchoServer(std::string unix_path, std::string http_file)
    : m_fd(::socket(unix_path.empty() ? AF_INET : AF_UNIX, SOCK_STREAM, 0)),
      m_http_file(std::move(http_file))
{
    if (!unix_path.empty()) {
        sockaddr_un un{};
        un.sun_family = AF_UNIX;
        unix_path.copy(un.sun_path, sizeof(un.sun_path) - 1);
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&un), sizeof(un)) != 0 ||
            ::listen(m_fd, 512) != 0) {
            throw std::runtime_error("echo server: cannot listen on " + unix_path);
        }
    } else {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr);
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
            ::listen(m_fd, 512) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("echo server: cannot listen");
        }
        m_port = ntohs(addr.sin_port);
    }
    m_thread = std::thread([this] { serve(); });
}

EchoServer::~EchoServer()
{
    m_stop = true;
    ::shutdown(m_fd, SHUT_RDWR);
    m_thread.join();
    for (std::thread& t : m_connections) {
        t.join();  // each ends at EOF, at m_stop, or at its deadline
    }
    ::close(m_fd);
}

void EchoServer::serve()
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
        m_connections.emplace_back([this, c] {
            if (m_http_file.empty()) {
                echo(c);
            } else {
                answer_http(c);
            }
            ::close(c);
        });
    }
}

void EchoServer::echo(int c) const
{
    char buf[65536];
    const auto deadline = Clock::now() + std::chrono::seconds(300);
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
            const ssize_t w = ::send(c, buf + off, static_cast<size_t>(n - off), MSG_NOSIGNAL);
            if (w <= 0) {
                return;
            }
            off += w;
        }
    }
}

void EchoServer::answer_http(int c) const
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
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
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

/// Send `path`'s bytes through the forward at 127.0.0.1:`port` (from
/// `source`) and return the SHA-256 of what comes back ("" on failure).
std::string echo_through(uint16_t port, const std::string& path, const TempDir& dir,
                         const std::string& source, const std::string& dest)
{
    return echo_fd(connect_from(source, dest, port), path, dir);
}

/// Send `path`'s bytes on `fd` (closed here), half-close, and return the
/// SHA-256 of everything read back ("" if `fd` is -1).
std::string echo_fd(int fd, const std::string& path, const TempDir& dir,
                    std::chrono::seconds timeout)
{
    if (fd < 0) {
        return "";
    }
    static std::atomic<int> serial{0};
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
    const auto deadline = Clock::now() + timeout;
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
    const std::string sum = sha256_of_file(back_path, dir.path());
    ::unlink(back_path.c_str());  // parallel transfers would add up on disk
    return sum;
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

}  // namespace burrow::interop_test
