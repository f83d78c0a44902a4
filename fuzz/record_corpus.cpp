// Writes the seed corpus for fuzz_server_stream: the byte stream of a real
// client session (kex, publickey auth, exec with data, EOF, close) against
// the deterministic FuzzServer. Run: record_corpus <output-file>.
#include <cstdio>
#include <fstream>

#include "fuzz/fuzz_server.h"

namespace {

using namespace burrow;  // NOLINT: small tool

class Client : public protocol::EventHandler {
public:
    protocol::Connection* conn = nullptr;
    const crypto::PrivateKey* key = nullptr;
    std::optional<protocol::ChannelId> channel;
    void on_host_key(const protocol::HostKeyCheck&) override { conn->accept_host_key(true); }
    void on_auth_ready() override { conn->auth_publickey("fuzz", *key); }
    void on_auth_result(const protocol::AuthResult& r) override
    {
        if (r.success) {
            channel = conn->open_session();
        }
    }
    void on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view) override
    {
        if (ok) {
            conn->request_exec(id, "cat", true);
            conn->send_data(id, as_bytes("corpus data"));
            conn->send_eof(id);
        }
    }
};

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: record_corpus OUTPUT\n");
        return 2;
    }
    // The recorder runs its own copy of the fuzz server, pumping both ways.
    fuzz::FuzzKeys keys;
    auto client_rng = crypto::make_seeded_rng(fuzz::corpus_seed);
    Client client;
    client.key = keys.user.get();
    protocol::Config cc;
    cc.role = protocol::Role::client;
    cc.rng = client_rng.get();
    protocol::Connection conn(cc, client);
    client.conn = &conn;
    conn.start(protocol::Millis(0));

    auto server_rng = crypto::make_seeded_rng(fuzz::corpus_seed + 1);
    protocol::Config sc;
    sc.role = protocol::Role::server;
    sc.rng = server_rng.get();
    sc.host_keys = {keys.host.get()};
    struct Policy : protocol::EventHandler {
        protocol::Connection* c = nullptr;
        void on_auth_request(const protocol::AuthRequest&) override { c->answer_auth(true); }
        void on_channel_open_request(const protocol::ChannelOpenRequest& r) override
        {
            c->accept_channel(r.id);
        }
        void on_channel_request(const protocol::ChannelRequest& r) override
        {
            if (r.want_reply) {
                c->reply_channel_request(r.id, true);
            }
        }
    } policy;
    protocol::Connection server(sc, policy);
    policy.c = &server;
    server.start(protocol::Millis(0));

    Bytes transcript;
    for (int i = 0; i < 1000; ++i) {
        const ByteView c = conn.pending_output();
        const ByteView s = server.pending_output();
        if (c.empty() && s.empty()) {
            break;
        }
        const Bytes cb(c.begin(), c.end());
        const Bytes sb(s.begin(), s.end());
        conn.consume_output(cb.size());
        server.consume_output(sb.size());
        transcript.insert(transcript.end(), cb.begin(), cb.end());
        server.feed(cb);
        conn.feed(sb);
    }
    std::ofstream(argv[1], std::ios::binary)
        .write(reinterpret_cast<const char*>(transcript.data()),
               static_cast<std::streamsize>(transcript.size()));
    std::printf("wrote %zu bytes\n", transcript.size());
    return 0;
}
