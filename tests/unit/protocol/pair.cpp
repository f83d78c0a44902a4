#include "pair.h"

#include <cstdio>

#include "crypto/registry.h"

namespace burrow::test {

uint64_t test_seed()
{
    static const uint64_t seed = [] {
        const char* env = std::getenv("BURROW_TEST_SEED");
        const uint64_t s = env != nullptr ? std::strtoull(env, nullptr, 10) : 20261126;
        std::fprintf(stderr, "protocol tests: BURROW_TEST_SEED=%llu\n",
                     static_cast<unsigned long long>(s));
        return s;
    }();
    return seed;
}

void Recorder::on_host_key(const protocol::HostKeyCheck&)
{
    ++host_key_checks;
    conn->accept_host_key(accept_host);
}

void Recorder::on_auth_request(const protocol::AuthRequest& r)
{
    auth_requests.push_back(r);
    conn->answer_auth(auth_policy ? auth_policy(r) : false);
}

void Recorder::on_channel_open_request(const protocol::ChannelOpenRequest& r)
{
    open_requests.push_back(r);
    open_requests.back().type_specific = {};  // points into a packet buffer
    if (auto_accept_channels) {
        conn->accept_channel(r.id);
    } else {
        conn->reject_channel(r.id, 1, "administratively prohibited");
    }
}

void Recorder::on_channel_data(protocol::ChannelId id, ByteView d)
{
    data[id] += to_string(d);
    if (auto_consume) {
        conn->consume_channel_data(id, d.size());
    }
}

void Recorder::on_channel_extended_data(protocol::ChannelId id, uint32_t, ByteView d)
{
    ext_data[id] += to_string(d);
    if (auto_consume) {
        conn->consume_channel_data(id, d.size());
    }
}

void Recorder::on_channel_request(const protocol::ChannelRequest& r)
{
    requests.push_back(r);
    if (r.type == "exec") {
        request_commands.push_back(r.command);
    }
    if (r.want_reply) {
        conn->reply_channel_request(r.id, r.type == "exec");
    }
}

Pair::Pair(const std::string& cipher, uint64_t seed)
    : Pair(
          [&cipher](protocol::Config& c) {
              if (!cipher.empty()) {
                  c.ciphers = {cipher};
              }
          },
          [](protocol::Config&) {}, "ssh-ed25519", seed)
{
}

Pair::Pair(const ConfigEdit& client_edit, const ConfigEdit& server_edit,
           const std::string& host_key_type, uint64_t seed)
    : client_rng(crypto::make_seeded_rng(seed)), server_rng(crypto::make_seeded_rng(seed + 1))
{
    auto key_rng = crypto::make_seeded_rng(seed + 2);
    host_key = crypto::generate_key(host_key_type, 0, *key_rng);
    user_key = crypto::generate_ed25519(*key_rng);
    other_key = crypto::generate_ed25519(*key_rng);
    protocol::Config cc;
    cc.role = protocol::Role::client;
    cc.rng = client_rng.get();
    protocol::Config sc;
    sc.role = protocol::Role::server;
    sc.rng = server_rng.get();
    sc.host_keys = {host_key.get()};
    client_edit(cc);
    server_edit(sc);
    client = std::make_unique<protocol::Connection>(cc, client_events);
    server = std::make_unique<protocol::Connection>(sc, server_events);
    client_events.conn = client.get();
    server_events.conn = server.get();
    const Bytes user_blob = user_key->public_key().blob();
    server_events.auth_policy = [user_blob](const protocol::AuthRequest& r) {
        return Bytes(r.key_blob.begin(), r.key_blob.end()) == user_blob;
    };
    client->start(protocol::Millis(0));
    server->start(protocol::Millis(0));
}

bool Pair::pump(size_t max_rounds)
{
    for (size_t i = 0; i < max_rounds; ++i) {
        // Views from pending_output() die with the next call on that side:
        // copy each side's output before feeding the other.
        if (client->pending_output().empty() && server->pending_output().empty()) {
            return true;
        }
        if (!client->pending_output().empty()) {
            const Bytes copy(client->pending_output().begin(), client->pending_output().end());
            client->consume_output(copy.size());
            client_transcript.insert(client_transcript.end(), copy.begin(), copy.end());
            server->feed(copy);
        }
        if (!server->pending_output().empty()) {
            const Bytes copy(server->pending_output().begin(), server->pending_output().end());
            server->consume_output(copy.size());
            client->feed(copy);
        }
    }
    return false;
}

bool Pair::authenticate(const std::string& user)
{
    if (!pump() || !client_events.auth_ready) {
        return false;
    }
    client->auth_publickey(user, *user_key);
    return pump() && !client_events.auth_results.empty() &&
           client_events.auth_results.back().success;
}

}  // namespace burrow::test
