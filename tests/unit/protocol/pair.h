// In-memory client <-> server pair over the protocol core: each side's output
// is fed to the other until both are idle (bounded). Seeded RNGs make every
// run byte-exact; the seed is printed and can be set with BURROW_TEST_SEED.
#pragma once

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crypto/keys.h"
#include "crypto/rng.h"
#include "protocol/connection.h"

namespace burrow::test {

uint64_t test_seed();

/// Records events; policy callbacks are configurable.
class Recorder : public protocol::EventHandler {
public:
    protocol::Connection* conn = nullptr;
    bool accept_host = true;
    std::function<bool(const protocol::AuthRequest&)> auth_policy;
    bool auto_accept_channels = true;
    bool auto_consume = true;

    int host_key_checks = 0;
    int kex_done = 0;
    bool auth_ready = false;
    std::vector<protocol::AuthResult> auth_results;
    std::vector<protocol::AuthRequest> auth_requests;
    std::string authenticated_user;
    std::map<protocol::ChannelId, std::string> data, ext_data;
    std::map<protocol::ChannelId, bool> eof, closed, open_ok;
    std::vector<protocol::ChannelRequest> requests;
    std::vector<std::string> request_commands;
    std::vector<bool> request_replies;
    int windows = 0;
    std::optional<protocol::DisconnectInfo> disconnected;

    void on_host_key(const protocol::HostKeyCheck&) override;
    void on_kex_done(bool) override { ++kex_done; }
    void on_disconnected(const protocol::DisconnectInfo& i) override { disconnected = i; }
    void on_auth_ready() override { auth_ready = true; }
    void on_auth_result(const protocol::AuthResult& r) override { auth_results.push_back(r); }
    void on_auth_request(const protocol::AuthRequest& r) override;
    void on_authenticated(std::string_view user, std::string_view) override
    {
        authenticated_user = user;
    }
    void on_channel_open_request(const protocol::ChannelOpenRequest& r) override;
    std::map<protocol::ChannelId, std::string> open_reason;
    void on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view reason) override
    {
        open_ok[id] = ok;
        open_reason[id] = reason;
    }
    void on_channel_data(protocol::ChannelId id, ByteView d) override;
    void on_channel_extended_data(protocol::ChannelId id, uint32_t, ByteView d) override;
    void on_channel_eof(protocol::ChannelId id) override { eof[id] = true; }
    void on_channel_closed(protocol::ChannelId id) override { closed[id] = true; }
    void on_channel_request(const protocol::ChannelRequest& r) override;
    void on_channel_request_reply(protocol::ChannelId, bool ok) override
    {
        request_replies.push_back(ok);
    }
    void on_window_available(protocol::ChannelId) override { ++windows; }

    /// Global requests seen; when `take_global` the test answers them.
    bool take_global = false;
    std::vector<protocol::GlobalRequest> global_requests;
    std::vector<protocol::GlobalReply> global_replies;
    std::vector<protocol::ChannelOpenRequest> open_requests;
    bool on_global_request(const protocol::GlobalRequest& r) override
    {
        global_requests.push_back(r);
        global_requests.back().raw = {};  // points into a packet buffer
        return take_global;
    }
    void on_global_reply(const protocol::GlobalReply& r) override { global_replies.push_back(r); }
};

/// Adjusts one side's configuration before the connection is made.
using ConfigEdit = std::function<void(protocol::Config&)>;

/// A client and a server connected in memory.
class Pair {
public:
    explicit Pair(const std::string& cipher = "", uint64_t seed = test_seed());
    /// Both configurations edited, with a host key of `host_key_type`.
    Pair(const ConfigEdit& client_edit, const ConfigEdit& server_edit,
         const std::string& host_key_type = "ssh-ed25519", uint64_t seed = test_seed());

    /// Move bytes both ways until neither side has output (bounded).
    /// Returns false if it did not converge.
    bool pump(size_t max_rounds = 100000);
    /// Authenticate the client with `user_key` (server accepts that key).
    bool authenticate(const std::string& user = "alice");

    std::unique_ptr<crypto::Rng> client_rng, server_rng;
    std::unique_ptr<crypto::PrivateKey> host_key, user_key, other_key;
    Recorder client_events, server_events;
    std::unique_ptr<protocol::Connection> client, server;
    /// Bytes the client sent (for replaying into a lone server).
    Bytes client_transcript;
};

}  // namespace burrow::test
