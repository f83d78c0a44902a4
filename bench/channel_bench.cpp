// Channel data through the whole protocol core: a client and a server
// connected in memory, 32 KiB send_data() calls, output handed over with
// take_output()/recycle_output() as the Asio driver does. Prints MB/s and
// heap allocations per packet in steady state (the hot path should make none).
#include <chrono>
#include <cstdio>
#include <memory>

#include "alloc_counter.h"
#include "crypto/keys.h"
#include "crypto/registry.h"
#include "crypto/rng.h"
#include "protocol/connection.h"

namespace {

namespace bp = burrow::protocol;
using Clock = std::chrono::steady_clock;

constexpr size_t chunk_size = 32 * 1024;
constexpr std::chrono::milliseconds run_time{700};

/// Accepts everything; counts and consumes received data.
class Side : public bp::EventHandler {
public:
    bp::Connection* conn = nullptr;
    const burrow::Bytes* user_blob = nullptr;
    std::optional<bp::ChannelId> channel;
    size_t received = 0;
    bool ready = false;

    void on_host_key(const bp::HostKeyCheck&) override { conn->accept_host_key(true); }
    void on_auth_request(const bp::AuthRequest&) override { conn->answer_auth(true); }
    void on_channel_open_request(const bp::ChannelOpenRequest& r) override
    {
        conn->accept_channel(r.id);
    }
    void on_channel_open_result(bp::ChannelId id, bool ok, std::string_view) override
    {
        ready = ok;
        channel = id;
    }
    void on_channel_data(bp::ChannelId id, burrow::ByteView d) override
    {
        received += d.size();
        conn->consume_channel_data(id, d.size());
    }
};

/// Move output from `from` to `to` without copying into new buffers.
void transfer(bp::Connection& from, bp::Connection& to)
{
    if (from.pending_output().empty()) {
        return;
    }
    burrow::Bytes out = from.take_output();
    to.feed(out);
    from.recycle_output(std::move(out));
}

void pump(bp::Connection& a, bp::Connection& b)
{
    for (int i = 0; i < 100 && !(a.pending_output().empty() && b.pending_output().empty()); ++i) {
        transfer(a, b);
        transfer(b, a);
    }
}

void run(const std::string& cipher)
{
    auto rng = burrow::crypto::make_seeded_rng(1);
    auto host = burrow::crypto::generate_ed25519(*rng);
    auto user = burrow::crypto::generate_ed25519(*rng);
    Side client_side, server_side;
    bp::Config cc;
    cc.role = bp::Role::client;
    cc.rng = rng.get();
    cc.ciphers = {cipher};
    bp::Config sc;
    sc.role = bp::Role::server;
    sc.rng = rng.get();
    sc.host_keys = {host.get()};
    bp::Connection client(cc, client_side), server(sc, server_side);
    client_side.conn = &client;
    server_side.conn = &server;
    client.start(bp::Millis(0));
    server.start(bp::Millis(0));
    pump(client, server);
    client.auth_publickey("bench", *user);
    pump(client, server);
    client.open_session();
    pump(client, server);
    if (!client_side.ready) {
        std::printf("%-32s setup failed\n", cipher.c_str());
        return;
    }
    const burrow::Bytes chunk(chunk_size, 0x42);
    auto step = [&] {
        client.send_data(*client_side.channel, chunk);
        pump(client, server);
    };
    for (int i = 0; i < 200; ++i) {
        step();  // warm up: buffers reach their steady-state capacity
    }
    const size_t received_before = server_side.received;
    const uint64_t allocs_before = burrow::bench::allocations();
    const auto start = Clock::now();
    size_t steps = 0;
    while (Clock::now() - start < run_time) {
        step();
        ++steps;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const uint64_t allocs = burrow::bench::allocations() - allocs_before;
    const double mb = static_cast<double>(server_side.received - received_before) / 1e6;
    std::printf("%-32s %8.1f MB/s   %.3f allocations per packet\n", cipher.c_str(), mb / seconds,
                static_cast<double>(allocs) / static_cast<double>(steps));
}

}  // namespace

int main()
{
    std::printf(
        "channel data, %zu-byte writes, client -> server in memory (seal + open + "
        "framing + windows)\n",
        chunk_size);
    for (const auto& cipher : burrow::crypto::supported_ciphers()) {
        run(cipher);
    }
    return 0;
}
