// Helpers for the port forwarding interop tests: an echo / HTTP server in
// the test process (TCP or Unix socket), connections from a chosen source
// address, data sent through a forward and checksummed, `ss` queries, and
// OpenSSH ssh -N started in the background.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.h"

namespace burrow::interop_test {

/// Bound on one forwarded transfer in the tests.
inline constexpr auto io_timeout = std::chrono::seconds(20);

/// A loopback TCP (or Unix socket) server with a thread per connection:
/// echoes each connection back until EOF, or with `http_file` answers one
/// HTTP request with that file's bytes and closes.
class EchoServer final {
public:
    explicit EchoServer(std::string unix_path = "", std::string http_file = "");
    ~EchoServer();
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;
    uint16_t port() const { return m_port; }

private:
    void serve();
    void echo(int c) const;
    /// Read the request head (bounded), then send the file as the body.
    void answer_http(int c) const;

    int m_fd;
    std::string m_http_file;
    uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::vector<std::thread> m_connections;  ///< touched by m_thread only, then joined
    std::thread m_thread;
};

/// Connect from `source` to `dest`:`port`; -1 if refused or unreachable.
int connect_from(const std::string& source, const std::string& dest, uint16_t port);
/// Connect to the Unix socket `path`; -1 on failure.
int connect_unix(const std::string& path);
/// Send `path`'s bytes on `fd` (closed here), half-close, and return the
/// SHA-256 of everything read back ("" if `fd` is -1).
std::string echo_fd(int fd, const std::string& path, const TempDir& dir,
                    std::chrono::seconds timeout = io_timeout);
/// The same through the forward at `dest`:`port`, connecting from `source`.
std::string echo_through(uint16_t port, const std::string& path, const TempDir& dir,
                         const std::string& source = "127.0.0.1",
                         const std::string& dest = "127.0.0.1");
/// OpenSSH ssh -N with `args` to `served` as root, in the background.
std::unique_ptr<Process> start_ssh(const ServedHost& served, const std::vector<std::string>& args,
                                   const std::string& log);
/// ssh -N as `user` (not root) to 127.0.0.1:`port` with `args`, in the background.
std::unique_ptr<Process> start_ssh_as(const std::string& user, uint16_t port,
                                      const std::string& key, const std::vector<std::string>& args,
                                      const std::string& log);
/// `ss -ltnH` local addresses listening on `port`, sorted, space-separated.
std::string listening_on(uint16_t port, const TempDir& dir);
/// The owner uid `ss -ltne` reports for the listener on `port` (0 for root),
/// or -1 if nothing listens.
int listener_uid(uint16_t port, const TempDir& dir);
/// `base`'s host key and authorized_keys with these configuration lines.
ServerSettings settings_with(const ServedHost& base, std::vector<std::string> options);

}  // namespace burrow::interop_test
