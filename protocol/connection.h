// A sans-I/O SSH connection, one class for both roles.
//
//   bytes in:     feed(data)                 -> events through EventHandler
//   bytes out:    pending_output() / consume_output(n)
//   time in:      on_deadline(now), next_deadline()
//   commands in:  the public methods below
//
// No sockets, clock or OS calls: time and randomness are passed in.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/dh_group_exchange.h"
#include "crypto/keys.h"
#include "crypto/rng.h"
#include "protocol/events.h"

namespace burrow::protocol {

enum class Role { client, server };

/// Monotonic time as the owner sees it (only differences matter).
using Millis = std::chrono::milliseconds;

/// Named limits (hostile input is bounded by these).
namespace limits {
/// RFC 4253 §6.1 requires 35000; OpenSSH accepts 256 KiB packets.
inline constexpr size_t max_packet_size = 256 * 1024;
/// RFC 4253 §4.2: version line at most 255 bytes incl. CR LF.
inline constexpr size_t max_version_line = 255;
/// Lines the client tolerates before the server's version line (bounded, §4.2).
inline constexpr size_t max_pre_version_lines = 1024;
/// Open channels per connection: forwarding opens one per TCP connection,
/// and thousands of them must fit.
inline constexpr size_t max_channels = 8192;
/// Global requests received and not yet answered (RFC 4254 §4 answers in
/// order, so a stalled owner must not let them pile up without bound).
inline constexpr size_t max_pending_global_requests = 256;
/// Our receive window per channel and max packet we advertise.
inline constexpr uint32_t channel_window = 2 * 1024 * 1024;
inline constexpr uint32_t channel_max_packet = 32768;
/// Authentication attempts before disconnect (sshd's MaxAuthTries default).
inline constexpr unsigned max_auth_tries = 6;
/// Longest name-list / user name / command we accept.
inline constexpr size_t max_name_list = 64 * 1024;
}  // namespace limits

/// Fixed inputs of a connection.
struct Config {
    Role role = Role::client;
    /// Our identification without CR LF, e.g. "SSH-2.0-Burrow_0.1".
    std::string version = "SSH-2.0-Burrow_0.1";
    /// Algorithm preference lists (empty = crypto registry defaults).
    std::vector<std::string> kex_algorithms;
    std::vector<std::string> ciphers;
    std::vector<std::string> macs;
    /// Client: host key algorithms asked for. Server: signature algorithms
    /// its host keys may use (HostKeyAlgorithms).
    std::vector<std::string> host_key_algorithms;
    /// PubkeyAcceptedAlgorithms: server accepts / client uses these for user auth.
    std::vector<std::string> pubkey_algorithms;
    /// Compression offer in preference order: {"none"} (default) or, for
    /// `-C` / Compression yes, {"zlib@openssh.com", "none"}.
    std::vector<std::string> compression = {"none"};
    /// RekeyLimit: bytes per key (0 = the RFC 4344 default for the
    /// negotiated cipher) and time (0 = never; default 1 hour).
    uint64_t rekey_bytes = 0;
    Millis rekey_interval = std::chrono::hours(1);
    /// Server: groups for diffie-hellman-group-exchange (empty = built-in).
    std::vector<crypto::DhGroup> dh_groups;
    /// Server: host keys (not owned; must outlive the connection).
    std::vector<const crypto::PrivateKey*> host_keys;
    /// Server: authentication methods offered at first ("publickey",
    /// "password", "keyboard-interactive"); the owner may change the list
    /// with set_auth_methods() (AuthenticationMethods with several factors).
    std::vector<std::string> auth_methods = {"publickey"};
    /// Server: authentication must complete within this time (LoginGraceTime).
    /// 0 means no limit (sshd_config(5) LoginGraceTime 0).
    Millis login_grace_time = std::chrono::seconds(120);
    /// Server: max failed attempts (MaxAuthTries).
    unsigned max_auth_tries = limits::max_auth_tries;
    /// Randomness (not owned).
    crypto::Rng* rng = nullptr;
};

class ConnectionImpl;

/// One SSH connection, client or server.
class Connection {
public:
    Connection(Config config, EventHandler& events);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Begin: queue our version line (and KEXINIT). `now` arms the deadlines.
    void start(Millis now);

    // ---- I/O ----
    /// Bytes received from the peer. Never throws: protocol errors become a
    /// DISCONNECT in the output and on_disconnected().
    void feed(ByteView data);
    /// The stream ended: EOF from the peer, or `why` (a socket error text).
    void feed_eof(std::string_view why = {});
    /// Bytes waiting to be written to the peer. The view is invalidated by
    /// any other call on the connection (later output may reallocate it).
    ByteView pending_output() const;
    /// `n` bytes of pending_output() were written.
    void consume_output(size_t n);
    /// For asynchronous writers: take all pending output as a buffer that
    /// stays valid while the connection keeps producing (zero copy).
    Bytes take_output();
    /// Return a buffer from take_output() once written, for reuse.
    void recycle_output(Bytes buffer);
    /// False while the core is paused (awaiting a decision) or its input
    /// buffer is full: the driver should stop reading until it turns true.
    bool wants_input() const;
    /// True once the connection is over and all output has been handed out.
    bool is_closed() const;
    /// Next time on_deadline() must be called, if any.
    std::optional<Millis> next_deadline() const;
    void on_deadline(Millis now);

    // ---- transport commands ----
    /// Client: answer HostKeyCheck.
    void accept_host_key(bool accept);
    /// Either side: send DISCONNECT and close.
    void disconnect(DisconnectReason reason, std::string_view message);
    /// Session identifier (H of the first kex); empty before.
    ByteView session_id() const;
    /// The peer's version line (without CR LF), empty until received.
    std::string_view peer_version() const;
    /// Negotiated cipher for c2s / s2c (for logs), empty before kex.
    std::string negotiated_summary() const;

    // ---- user authentication commands ----
    /// Client: try "none" (learns the methods list).
    void auth_none(std::string_view user);
    /// Client: try a key: query first, sign after PK_OK (RFC 4252 §7).
    /// `key` must stay alive until on_auth_result().
    void auth_publickey(std::string_view user, const crypto::PrivateKey& key);
    /// Client: password authentication (RFC 4252 §8). The bytes are sent
    /// and not kept.
    void auth_password(std::string_view user, ByteView password);
    /// Client: keyboard-interactive (RFC 4256); prompts arrive as on_info_request().
    void auth_keyboard_interactive(std::string_view user, std::string_view submethods = {});
    /// Client: answer an InfoRequest, one response per prompt.
    void answer_info_request(const std::vector<std::string>& responses);
    /// Server: answer the pending AuthRequest (or keyboard-interactive round).
    void answer_auth(AuthVerdict verdict);
    /// Server: shorthand for accept / reject.
    void answer_auth(bool accept);
    /// Server: send keyboard-interactive prompts for the pending request
    /// (RFC 4256 §3.2); answers arrive as on_info_response().
    void send_info_request(const InfoRequest& request);
    /// Server: the methods that can continue, as listed in USERAUTH_FAILURE
    /// (RFC 4252 §5.1); e.g. after a partial success.
    void set_auth_methods(std::vector<std::string> methods);
    /// Server: change MaxAuthTries (e.g. by an sshd_config Match block for
    /// the user); failures so far still count.
    void set_max_auth_tries(unsigned tries);
    /// Server: send SSH_MSG_USERAUTH_BANNER (RFC 4252 §5.4) before success.
    void send_auth_banner(std::string_view text);
    /// Server: the authenticated user, empty before.
    std::string_view authenticated_user() const;

    /// Start a key exchange now (ssh's ~R), unless one is running or the
    /// first has not finished; false if none was started (RFC 4253 §9).
    bool rekey();

    // ---- connection protocol commands ----
    /// Client: open a "session" channel. Result arrives as on_channel_open_result().
    std::optional<ChannelId> open_session();
    /// Either side: open a channel of any type (e.g. "auth-agent@openssh.com"
    /// from the server, RFC 4254 §5.1) with its type-specific bytes.
    std::optional<ChannelId> open_channel(std::string_view type, ByteView type_specific = {});
    /// Server: answer a ChannelOpenRequest.
    void accept_channel(ChannelId id);
    void reject_channel(ChannelId id, uint32_t reason_code, std::string_view message);
    /// Send a channel request: exec (command), or others with raw type-specific bytes.
    void request_exec(ChannelId id, std::string_view command, bool want_reply);
    /// Client: session requests (RFC 4254 §6.2-6.9, RFC 4335).
    void request_shell(ChannelId id, bool want_reply);
    void request_subsystem(ChannelId id, std::string_view name, bool want_reply);
    void request_pty(ChannelId id, const PtyRequest& pty, bool want_reply);
    void send_window_change(ChannelId id, const WindowSize& size);
    void request_env(ChannelId id, std::string_view name, std::string_view value,
                     bool want_reply);
    void send_signal(ChannelId id, std::string_view name);
    void send_break(ChannelId id, uint32_t milliseconds, bool want_reply);
    void send_channel_request(ChannelId id, std::string_view type, bool want_reply, ByteView body);
    /// Port forwarding opens (RFC 4254 §7.1, §7.2; OpenSSH PROTOCOL §2.4).
    std::optional<ChannelId> open_direct_tcpip(std::string_view host, uint32_t port,
                                               std::string_view originator_ip,
                                               uint32_t originator_port);
    std::optional<ChannelId> open_forwarded_tcpip(std::string_view connected_address,
                                                  uint32_t connected_port,
                                                  std::string_view originator_ip,
                                                  uint32_t originator_port);
    std::optional<ChannelId> open_direct_streamlocal(std::string_view socket_path);
    std::optional<ChannelId> open_forwarded_streamlocal(std::string_view socket_path);
    /// Global requests (RFC 4254 §4); those with a reply are answered by
    /// on_global_reply() in order.
    void send_global_request(std::string_view name, bool want_reply, ByteView body);
    void request_tcpip_forward(std::string_view bind_address, uint32_t port);
    void cancel_tcpip_forward(std::string_view bind_address, uint32_t port);
    void request_streamlocal_forward(std::string_view socket_path);
    void cancel_streamlocal_forward(std::string_view socket_path);
    /// OpenSSH's keepalive: a request nobody implements, with a reply.
    void send_keepalive();
    /// OpenSSH PROTOCOL §2.2: this client opens no further sessions.
    void send_no_more_sessions();
    /// Answer the oldest GlobalRequest the owner took (see GlobalRequest);
    /// `bound_port` is the tcpip-forward port-0 answer.
    void reply_global_request(bool success, std::optional<uint32_t> bound_port = std::nullopt);
    /// Answer a ChannelRequest that had want_reply.
    void reply_channel_request(ChannelId id, bool success);
    /// Queue data; returns how many bytes were accepted (bounded by the
    /// peer's window). Extended data type 1 is stderr (RFC 4254 §5.2).
    size_t send_data(ChannelId id, ByteView data);
    size_t send_extended_data(ChannelId id, uint32_t type, ByteView data);
    /// How many bytes send_data() would accept now.
    size_t send_window(ChannelId id) const;
    /// The owner has consumed `n` received bytes: reopen our window.
    void consume_channel_data(ChannelId id, size_t n);
    void send_eof(ChannelId id);
    void send_exit_status(ChannelId id, uint32_t status);
    void send_exit_signal(ChannelId id, std::string_view signal, bool core_dumped,
                          std::string_view message);
    void close_channel(ChannelId id);

private:
    std::unique_ptr<ConnectionImpl> m_impl;
};

}  // namespace burrow::protocol
