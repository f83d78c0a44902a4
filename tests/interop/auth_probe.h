#pragma once
/// @file
/// A test-only SSH client for hostile user authentication input: it completes the key exchange
/// and the ssh-userauth service request with the protocol core, then sends payloads crafted by
/// the test, encrypted like any other packet, and collects the server's replies undispatched
/// (so replies to crafted requests cannot confuse a client state machine).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/rng.h"
#include "harness.h"
#include "protocol/connection_impl.h"

namespace burrow::interop_test {

/// A reply of the server: its message number and whole payload.
struct Reply {
    uint8_t type = 0;
    Bytes payload;
};

class AuthProbe final : public protocol::EventHandler {
public:
    /// Connects to 127.0.0.1:@p port and runs the key exchange up to SERVICE_ACCEPT
    /// (bounded by @p timeout); ready() tells whether that worked.
    AuthProbe(uint16_t port, Clock::duration timeout);
    ~AuthProbe() override;
    AuthProbe(const AuthProbe&) = delete;
    AuthProbe& operator=(const AuthProbe&) = delete;

    /// Key exchange done and ssh-userauth accepted.
    bool ready() const { return m_ready; }
    /// The session identifier (RFC 4253 §7.2).
    Bytes session_id() const;
    /// Sends @p payload as one encrypted packet.
    void send(const Bytes& payload);
    /// Reads replies until the server closed the connection or @p timeout passed; true if closed.
    bool wait_closed(Clock::duration timeout);
    /// Reads until a reply of type @p type arrived (or the connection closed / timed out).
    std::optional<Reply> wait_for(uint8_t type, Clock::duration timeout);
    /// Everything received since ready().
    const std::vector<Reply>& replies() const { return m_replies; }
    /// The server's DISCONNECT reason code and description, if it sent one.
    std::optional<std::pair<uint32_t, std::string>> disconnect() const;
    /// Our port, as the server logs it.
    uint16_t local_port() const { return m_local_port; }

    void on_host_key(const protocol::HostKeyCheck&) override;
    void on_auth_ready() override { m_ready = true; }
    void on_disconnected(const protocol::DisconnectInfo& info) override { m_ended = info; }

private:
    /// One round of I/O: write pending output, read what arrives within @p wait.
    /// False once the connection is closed.
    bool pump(Clock::duration wait);
    void flush();
    void collect();

    uint16_t m_local_port = 0;  ///< before m_fd: connecting sets it
    int m_fd = -1;
    std::unique_ptr<crypto::Rng> m_rng;
    std::unique_ptr<protocol::ConnectionImpl> m_impl;
    bool m_ready = false;
    bool m_closed = false;
    std::optional<protocol::DisconnectInfo> m_ended;
    std::vector<Reply> m_replies;
};

/// Wire helpers for crafted payloads (RFC 4251 §5).
void put_u32(Bytes& out, uint32_t value);
void put_string(Bytes& out, std::string_view text);
void put_string(Bytes& out, ByteView bytes);

}  // namespace burrow::interop_test
