#pragma once
/// @file
/// A one-connection TCP proxy on 127.0.0.1 that flips one bit of the client-to-server stream.
/// Placed between a real client and a server after key exchange, it turns a valid encrypted
/// packet into one whose MAC (AEAD tag) cannot verify. With no_flip it only counts the bytes
/// each way (to see what compression saved on the wire).

#include <atomic>
#include <cstdint>
#include <thread>

namespace burrow::interop_test {

class CorruptingProxy final {
public:
    /// A flip_at that is never reached: the proxy forwards unchanged.
    static constexpr uint64_t no_flip = ~uint64_t{0};

    /// Listens on a free loopback port and forwards the first connection to
    /// 127.0.0.1:@p target_port, inverting the low bit of client-to-server byte @p flip_at.
    CorruptingProxy(uint16_t target_port, uint64_t flip_at);
    /// Closes both connections and joins the forwarding thread.
    ~CorruptingProxy();
    CorruptingProxy(const CorruptingProxy&) = delete;
    CorruptingProxy& operator=(const CorruptingProxy&) = delete;

    /// Where clients connect.
    uint16_t port() const { return m_port; }
    /// The proxy's own port on its connection to the server: the peer port the server logs.
    /// Zero until a client has connected.
    uint16_t upstream_port() const { return m_upstream_port.load(); }
    /// True once the bit has been flipped and passed on.
    bool flipped() const { return m_flipped.load(); }
    /// Bytes forwarded so far from the client to the server.
    uint64_t upstream_bytes() const { return m_upstream_bytes.load(); }
    /// Bytes forwarded so far from the server to the client.
    uint64_t downstream_bytes() const { return m_downstream_bytes.load(); }

private:
    void serve();
    void forward(int client, int server);

    uint16_t m_target_port;
    uint64_t m_flip_at;
    int m_listen_fd = -1;
    int m_wake_pipe[2] = {-1, -1};
    uint16_t m_port = 0;
    std::atomic<uint16_t> m_upstream_port{0};
    std::atomic<bool> m_flipped{false};
    std::atomic<uint64_t> m_upstream_bytes{0};
    std::atomic<uint64_t> m_downstream_bytes{0};
    std::thread m_thread;
};

}  // namespace burrow::interop_test
