// Writes seeds for fuzz_server_stream: the byte stream of a real client
// session (kex, authentication, exec with data, EOF, close) against the
// deterministic FuzzServer, in one of several variants so the seeds reach
// every kex flow, cipher family, compression and auth method.
// Run: record_corpus OUTPUT [publickey|password|kbdint|gex-ctr|zlib|session]
// ("session" adds pty-req, env, window-change, signal, a remote and a local
// port forward and a keepalive around the exec).
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "fuzz/fuzz_server.h"

namespace {

using namespace burrow;  // NOLINT: small tool

class Client : public protocol::EventHandler {
public:
    protocol::Connection* conn = nullptr;
    const crypto::PrivateKey* key = nullptr;
    std::string method = "publickey";
    bool session_requests = false;
    std::optional<protocol::ChannelId> session;

    void on_host_key(const protocol::HostKeyCheck&) override { conn->accept_host_key(true); }
    void on_auth_ready() override
    {
        if (method == "password") {
            conn->auth_password("fuzz", as_bytes(fuzz::fuzz_password));
        } else if (method == "kbdint") {
            conn->auth_keyboard_interactive("fuzz");
        } else {
            conn->auth_publickey("fuzz", *key);
        }
    }
    void on_info_request(const protocol::InfoRequest&) override
    {
        conn->answer_info_request({fuzz::fuzz_password});
    }
    void on_auth_result(const protocol::AuthResult& r) override
    {
        if (r.success) {
            session = conn->open_session();
            if (session_requests) {
                conn->request_tcpip_forward("localhost", 0);
                conn->send_keepalive();
                conn->open_direct_tcpip("localhost", 5432, "127.0.0.1", 40000);
            }
        }
    }
    void on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view) override
    {
        if (ok && id == session) {
            if (session_requests) {
                protocol::PtyRequest pty{"xterm", {80, 24, 0, 0}, {{53, 0}, {128, 38400}}};
                conn->request_pty(id, pty, true);
                conn->request_env(id, "LANG", "C.UTF-8", false);
                conn->send_window_change(id, {100, 30, 0, 0});
                conn->send_signal(id, "WINCH");
            }
            conn->request_exec(id, "cat", true);
            conn->send_data(id, as_bytes("corpus data, corpus data, corpus data"));
            conn->send_eof(id);
        }
    }
};

protocol::Config client_config(const std::string& variant, crypto::Rng& rng)
{
    protocol::Config c;
    c.role = protocol::Role::client;
    c.rng = &rng;
    if (variant == "gex-ctr") {
        c.kex_algorithms = {"diffie-hellman-group-exchange-sha256"};
        c.ciphers = {"aes128-ctr"};
        c.macs = {"hmac-sha2-256-etm@openssh.com"};
    } else if (variant == "zlib") {
        c.compression = {"zlib@openssh.com"};
    }
    return c;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr,
                     "usage: record_corpus OUTPUT "
                     "[publickey|password|kbdint|gex-ctr|zlib|session]\n");
        return 2;
    }
    const std::string variant = argc == 3 ? argv[2] : "publickey";
    fuzz::FuzzServer server;
    auto client_rng = crypto::make_seeded_rng(fuzz::corpus_seed);
    Client client;
    client.key = server.keys().user.get();
    client.method = variant == "password" || variant == "kbdint" ? variant : "publickey";
    client.session_requests = variant == "session";
    protocol::Connection conn(client_config(variant, *client_rng), client);
    client.conn = &conn;
    conn.start(protocol::Millis(0));
    protocol::Connection& srv = server.connection();

    Bytes transcript;
    for (int i = 0; i < 1000; ++i) {
        if (conn.pending_output().empty() && srv.pending_output().empty()) {
            break;
        }
        const Bytes cb(conn.pending_output().begin(), conn.pending_output().end());
        conn.consume_output(cb.size());
        transcript.insert(transcript.end(), cb.begin(), cb.end());
        srv.feed(cb);
        const Bytes sb(srv.pending_output().begin(), srv.pending_output().end());
        srv.consume_output(sb.size());
        conn.feed(sb);
    }
    std::ofstream(argv[1], std::ios::binary)
        .write(reinterpret_cast<const char*>(transcript.data()),
               static_cast<std::streamsize>(transcript.size()));
    // A seed is only useful if it drives a fresh server all the way to exec.
    fuzz::FuzzServer check;
    check.connection().feed(transcript);
    std::printf("%s: wrote %zu bytes; replay echoed %zu bytes\n", variant.c_str(),
                transcript.size(), check.echoed());
    return check.echoed() > 0 ? 0 : 1;
}
