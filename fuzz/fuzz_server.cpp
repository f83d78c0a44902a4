#include "fuzz/fuzz_server.h"

#include <algorithm>

namespace burrow::fuzz {

FuzzKeys::FuzzKeys()
{
    auto rng = crypto::make_seeded_rng(corpus_seed + 2);
    host = crypto::generate_ed25519(*rng);
    user = crypto::generate_ed25519(*rng);
}

FuzzServer::FuzzServer() : m_rng(crypto::make_seeded_rng(corpus_seed + 1))
{
    protocol::Config config;
    config.role = protocol::Role::server;
    config.rng = m_rng.get();
    config.host_keys = {m_keys.host.get()};
    // Every auth method and zlib, so seeds can reach all of those paths.
    config.auth_methods = {"publickey", "password", "keyboard-interactive"};
    config.compression = {"zlib@openssh.com", "none"};
    m_conn = std::make_unique<protocol::Connection>(config, *this);
    m_conn->start(protocol::Millis(0));
}

void FuzzServer::feed(ByteView data)
{
    m_conn->feed(data);
    m_conn->consume_output(m_conn->pending_output().size());
    m_conn->feed_eof();
}

void FuzzServer::on_auth_request(const protocol::AuthRequest& r)
{
    if (r.method == "password") {
        m_conn->answer_auth(to_string(r.password) == fuzz_password);
        return;
    }
    if (r.method == "keyboard-interactive") {
        m_conn->send_info_request(protocol::InfoRequest{"", "", {{"Password: ", false}}});
        return;
    }
    const Bytes& blob = m_keys.user->public_key().blob();
    m_conn->answer_auth(std::equal(r.key_blob.begin(), r.key_blob.end(), blob.begin(), blob.end()));
}

void FuzzServer::on_info_response(const std::vector<ByteView>& responses)
{
    m_conn->answer_auth(responses.size() == 1 && to_string(responses[0]) == fuzz_password);
}

void FuzzServer::on_channel_open_request(const protocol::ChannelOpenRequest& r)
{
    m_conn->accept_channel(r.id);
}

bool FuzzServer::on_global_request(const protocol::GlobalRequest& r)
{
    // Take remote forwards and answer at once with a "bound" port, so the
    // reply path (RFC 4254 §7.1) is exercised; refuse everything else.
    if (r.name != "tcpip-forward") {
        return false;
    }
    if (r.want_reply) {
        m_conn->reply_global_request(true, r.port == 0 ? 40001 : r.port);
    }
    return true;
}

void FuzzServer::on_channel_request(const protocol::ChannelRequest& r)
{
    if (r.want_reply) {
        m_conn->reply_channel_request(r.id, r.type == "exec");
    }
}

void FuzzServer::on_channel_data(protocol::ChannelId id, ByteView d)
{
    // Echo, as `cat` would, exercising the send path and windows.
    m_echoed += m_conn->send_data(id, d);
    m_conn->consume_channel_data(id, d.size());
}

void FuzzServer::on_channel_eof(protocol::ChannelId id)
{
    m_conn->send_exit_status(id, 0);
    m_conn->send_eof(id);
    m_conn->close_channel(id);
}

}  // namespace burrow::fuzz
