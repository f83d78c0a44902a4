// Everything the protocol core reports to its owner. Events are delivered
// synchronously from inside Connection::feed()/on_deadline()/commands through
// this handler; spans are valid only for the duration of the call (they point
// into the connection's packet buffer: no copy on the data path).
// Decisions (accept this key? this channel?) are answered later by commands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "protocol/error.h"
#include "protocol/session_types.h"

namespace burrow::protocol {

/// Local channel number (our side's id, RFC 4254 §5.1 "sender channel").
using ChannelId = uint32_t;

/// Client: the server's host key, already proven by its signature over H.
/// Answer with Connection::accept_host_key(bool).
struct HostKeyCheck {
    std::string algorithm;  ///< signature algorithm used ("ssh-ed25519")
    ByteView key_blob;      ///< public key blob (RFC 4253 §6.6)
};

/// Server: a user authentication attempt needing a policy decision.
/// Answer with Connection::answer_auth(accept).
struct AuthRequest {
    std::string user;
    std::string method;               ///< "publickey", "password" or "keyboard-interactive"
    std::string algorithm;            ///< publickey: signature algorithm name
    ByteView key_blob;                ///< publickey: the key
    bool signature_verified = false;  ///< publickey: false = query (RFC 4252 §7), true = proven
    /// password (RFC 4252 §8): the cleartext password, valid only during the
    /// callback (it points into the decrypted packet; copy it into secure
    /// storage if needed, never log it).
    ByteView password;
    /// keyboard-interactive (RFC 4256 §3.1): submethods hint.
    std::string submethods;
};

/// The owner's verdict on an AuthRequest (or on keyboard-interactive responses).
enum class AuthVerdict {
    accept,   ///< USERAUTH_SUCCESS: the user is in
    partial,  ///< this method succeeded but more are required (FAILURE, partial = true)
    reject,   ///< USERAUTH_FAILURE (counts towards MaxAuthTries)
};

/// One keyboard-interactive prompt (RFC 4256 §3.2).
struct KbdIntPrompt {
    std::string text;
    bool echo = false;
};

/// Client: a keyboard-interactive INFO_REQUEST to show the user. Answer with
/// Connection::answer_info_request().
struct InfoRequest {
    std::string name;
    std::string instruction;
    std::vector<KbdIntPrompt> prompts;
};

/// Client: outcome of one authentication attempt.
struct AuthResult {
    bool success = false;
    bool partial_success = false;
    std::vector<std::string> methods_can_continue;  ///< on failure
};

/// Server: the peer asks to open a channel. Answer with accept_channel()/reject_channel().
struct ChannelOpenRequest {
    ChannelId id;
    std::string type;        ///< "session", "direct-tcpip", ...
    ByteView type_specific;  ///< raw bytes after the common fields (RFC 4254 §5.1)
    /// direct-tcpip: where to connect; forwarded-tcpip: the address and port
    /// that were connected (RFC 4254 §7.1, §7.2).
    std::string host;
    uint32_t port = 0;
    /// direct-tcpip, forwarded-tcpip: who connected.
    std::string originator_ip;
    uint32_t originator_port = 0;
    /// direct-streamlocal@openssh.com: the socket to connect;
    /// forwarded-streamlocal@openssh.com: the socket that was connected.
    std::string socket_path;
};

/// A global request from the peer (RFC 4254 §4). If the owner returns true
/// from on_global_request() it answers later with reply_global_request(),
/// in the order the requests arrived; false answers REQUEST_FAILURE at once.
struct GlobalRequest {
    std::string name;  ///< "tcpip-forward", "keepalive@openssh.com", ...
    bool want_reply = false;
    /// tcpip-forward, cancel-tcpip-forward (RFC 4254 §7.1).
    std::string bind_address;
    uint32_t port = 0;
    /// streamlocal-forward@openssh.com, cancel-streamlocal-forward@openssh.com.
    std::string socket_path;
    ByteView raw;  ///< request-specific bytes of other requests
};

/// The peer's answer to one of our global requests, in request order.
struct GlobalReply {
    bool success = false;
    /// tcpip-forward with port 0: the port the server bound (RFC 4254 §7.1).
    std::optional<uint32_t> bound_port;
};

/// A channel request (RFC 4254 §5.4); `type` names it and the typed fields
/// are filled for the kinds the core understands.
struct ChannelRequest {
    ChannelId id;
    std::string type;  ///< "exec", "exit-status", "exit-signal", ...
    bool want_reply = false;
    std::string command;        ///< exec; subsystem: the subsystem name
    uint32_t exit_status = 0;   ///< exit-status
    std::string signal_name;    ///< exit-signal, signal (without "SIG")
    bool core_dumped = false;   ///< exit-signal
    std::string error_message;  ///< exit-signal
    std::optional<PtyRequest> pty;  ///< pty-req (RFC 4254 §6.2)
    WindowSize window;              ///< pty-req, window-change (RFC 4254 §6.7)
    std::string env_name;           ///< env (RFC 4254 §6.4)
    std::string env_value;          ///< env
    uint32_t break_ms = 0;          ///< break (RFC 4335 §3)
    ByteView raw;                   ///< type-specific bytes, for kinds not parsed here
};

/// Why and by whom the connection ended.
struct DisconnectInfo {
    DisconnectReason reason = DisconnectReason::by_application;
    std::string message;
    bool by_peer = false;  ///< true: peer sent DISCONNECT or closed the stream
};

/// Receives the core's events. Default implementations ignore the event.
class EventHandler {
public:
    virtual ~EventHandler() = default;

    // ---- transport ----
    /// Client: host key to verify (kex is paused until accept_host_key()).
    virtual void on_host_key(const HostKeyCheck&) {}
    /// A key exchange completed (first or later).
    virtual void on_kex_done(bool /*first*/) {}
    /// The connection is over (after this, only pending output may be sent).
    virtual void on_disconnected(const DisconnectInfo&) {}
    /// Diagnostic line from the core (level 1 = verbose, 2 = debug).
    virtual void on_debug(int /*level*/, std::string_view) {}

    // ---- user authentication ----
    /// Client: the ssh-userauth service was accepted; auth commands may be issued.
    virtual void on_auth_ready() {}
    virtual void on_auth_banner(std::string_view) {}
    /// Client: result of the last attempt.
    virtual void on_auth_result(const AuthResult&) {}
    /// Server: decide on an attempt.
    virtual void on_auth_request(const AuthRequest&) {}
    /// Client: keyboard-interactive prompts to answer.
    virtual void on_info_request(const InfoRequest&) {}
    /// Server: keyboard-interactive answers (views valid during the call
    /// only; secrets: copy into secure storage, never log). Answer with
    /// send_info_request() for another round, or answer_auth().
    virtual void on_info_response(const std::vector<ByteView>& /*responses*/) {}
    /// Server: the client abandoned a keyboard-interactive exchange by
    /// sending a new request (RFC 4256 §3.2): drop its state.
    virtual void on_auth_abandoned() {}
    /// Server: a publickey signature did not verify (already refused); for
    /// the owner's log.
    virtual void on_auth_bad_signature(std::string_view /*user*/, ByteView /*key_blob*/) {}
    /// Server: user is authenticated; connection protocol is now open.
    virtual void on_authenticated(std::string_view /*user*/, std::string_view /*method*/) {}

    // ---- connection protocol ----
    virtual void on_channel_open_request(const ChannelOpenRequest&) {}
    /// A global request; see GlobalRequest for the answer protocol.
    virtual bool on_global_request(const GlobalRequest&) { return false; }
    /// The answer to a global request we sent with want_reply.
    virtual void on_global_reply(const GlobalReply&) {}
    /// Client side of an open we initiated: confirmed (ok) or refused.
    virtual void on_channel_open_result(ChannelId, bool /*ok*/, std::string_view /*reason*/) {}
    virtual void on_channel_data(ChannelId, ByteView) {}
    virtual void on_channel_extended_data(ChannelId, uint32_t /*type*/, ByteView) {}
    virtual void on_channel_eof(ChannelId) {}
    /// Both CLOSE messages exchanged; the id is free after this call.
    virtual void on_channel_closed(ChannelId) {}
    virtual void on_channel_request(const ChannelRequest&) {}
    /// Reply to a request we sent with want_reply.
    virtual void on_channel_request_reply(ChannelId, bool /*success*/) {}
    /// The peer's window grew: more send_data() will be accepted.
    virtual void on_window_available(ChannelId) {}
};

}  // namespace burrow::protocol
