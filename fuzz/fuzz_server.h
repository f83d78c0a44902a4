// A protocol server with deterministic keys and RNG, and a policy that
// accepts one known user key and every channel and exec request. Shared by
// the server-stream fuzz target and the seed-corpus recorder.
#pragma once

#include <memory>

#include "crypto/keys.h"
#include "crypto/rng.h"
#include "protocol/connection.h"

namespace burrow::fuzz {

/// Seed shared with the corpus recorder: keys come from seed+2, the
/// server's RNG from seed+1 and the recording client's from seed.
inline constexpr uint64_t corpus_seed = 424242;

/// Keys derived from corpus_seed: host key first, then the user key.
struct FuzzKeys {
    std::unique_ptr<crypto::PrivateKey> host;
    std::unique_ptr<crypto::PrivateKey> user;
    FuzzKeys();
};

/// The password (and keyboard-interactive answer) the fuzz server accepts.
inline constexpr const char* fuzz_password = "fuzz-password";

class FuzzServer : public protocol::EventHandler {
public:
    FuzzServer();
    /// Fuzz entry: the whole client stream, then EOF.
    void feed(ByteView data);
    /// The core, for the corpus recorder (which pumps it against a client).
    protocol::Connection& connection() { return *m_conn; }
    const FuzzKeys& keys() const { return m_keys; }
    /// Channel data echoed so far: a seed that reaches exec makes this non-zero.
    size_t echoed() const { return m_echoed; }

    void on_auth_request(const protocol::AuthRequest& r) override;
    void on_info_response(const std::vector<ByteView>& responses) override;
    void on_channel_open_request(const protocol::ChannelOpenRequest& r) override;
    void on_channel_request(const protocol::ChannelRequest& r) override;
    bool on_global_request(const protocol::GlobalRequest& r) override;
    void on_channel_data(protocol::ChannelId id, ByteView d) override;
    void on_channel_eof(protocol::ChannelId id) override;

private:
    FuzzKeys m_keys;
    std::unique_ptr<crypto::Rng> m_rng;
    std::unique_ptr<protocol::Connection> m_conn;
    size_t m_echoed = 0;
};

}  // namespace burrow::fuzz
