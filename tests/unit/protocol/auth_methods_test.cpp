// Password (RFC 4252 §8), keyboard-interactive (RFC 4256), two factors via
// partial success (RFC 4252 §5.1), banners, and the rules that bind them.
#include <catch2/catch.hpp>

#include "pair.h"

using burrow::Bytes;
using burrow::test::Pair;
namespace bp = burrow::protocol;

namespace {

const auto all_methods = [](bp::Config& c) {
    c.auth_methods = {"publickey", "password", "keyboard-interactive"};
};
const auto nothing = [](bp::Config&) {};

/// Server policy: password "secret" only.
void password_policy(Pair& p)
{
    p.server_events.auth_policy = [](const bp::AuthRequest& r) {
        return r.method == "password" && burrow::to_string(r.password) == "secret";
    };
}

}  // namespace

TEST_CASE("password authentication", "[auth]")
{
    Pair p(nothing, all_methods);
    password_policy(p);
    REQUIRE(p.pump());
    p.client->auth_password("alice", burrow::as_bytes("wrong"));
    REQUIRE(p.pump());
    REQUIRE(p.client_events.auth_results.size() == 1);
    CHECK_FALSE(p.client_events.auth_results[0].success);
    p.client->auth_password("alice", burrow::as_bytes("secret"));
    REQUIRE(p.pump());
    REQUIRE(p.client_events.auth_results.size() == 2);
    CHECK(p.client_events.auth_results[1].success);
    CHECK(p.server_events.authenticated_user == "alice");
}

TEST_CASE("a method the server does not offer fails without asking the owner", "[auth]")
{
    Pair p;  // publickey only
    password_policy(p);
    REQUIRE(p.pump());
    p.client->auth_password("alice", burrow::as_bytes("secret"));
    REQUIRE(p.pump());
    REQUIRE(p.client_events.auth_results.size() == 1);
    CHECK_FALSE(p.client_events.auth_results[0].success);
    CHECK(p.server_events.auth_requests.empty());
}

/// Server side of a two-prompt keyboard-interactive exchange.
class KbdServer : public burrow::test::Recorder {
public:
    std::vector<std::string> answers;
    int abandoned = 0;
    void on_auth_abandoned() override { ++abandoned; }
    void on_auth_request(const bp::AuthRequest& r) override
    {
        auth_requests.push_back(r);
        bp::InfoRequest req{"Login", "Two questions", {{"Password: ", false}, {"Code: ", true}}};
        conn->send_info_request(req);
    }
    void on_info_response(const std::vector<burrow::ByteView>& responses) override
    {
        for (const auto& r : responses) {
            answers.push_back(burrow::to_string(r));
        }
        const bool ok = answers == std::vector<std::string>{"secret", "42"};
        conn->answer_auth(ok);
    }
};

/// Client side answering prompts.
class KbdClient : public burrow::test::Recorder {
public:
    std::vector<bp::InfoRequest> requests;
    bool answer = true;
    void on_info_request(const bp::InfoRequest& r) override
    {
        requests.push_back(r);
        if (answer) {
            conn->answer_info_request({"secret", "42"});
        }
    }
};

TEST_CASE("keyboard-interactive prompts and answers", "[auth]")
{
    auto rng_c = burrow::crypto::make_seeded_rng(11);
    auto rng_s = burrow::crypto::make_seeded_rng(12);
    auto host = burrow::crypto::generate_ed25519(*rng_s);
    KbdClient ce;
    KbdServer se;
    bp::Config cc;
    cc.rng = rng_c.get();
    bp::Config sc;
    sc.role = bp::Role::server;
    sc.rng = rng_s.get();
    sc.host_keys = {host.get()};
    sc.auth_methods = {"keyboard-interactive"};
    bp::Connection client(cc, ce), server(sc, se);
    ce.conn = &client;
    se.conn = &server;
    client.start(bp::Millis(0));
    server.start(bp::Millis(0));
    const auto pump = [&] {
        for (int i = 0; i < 100; ++i) {
            if (!client.pending_output().empty()) {
                const Bytes b(client.pending_output().begin(), client.pending_output().end());
                client.consume_output(b.size());
                server.feed(b);
            }
            if (!server.pending_output().empty()) {
                const Bytes b(server.pending_output().begin(), server.pending_output().end());
                server.consume_output(b.size());
                client.feed(b);
            }
        }
    };
    pump();
    REQUIRE(ce.auth_ready);
    client.auth_keyboard_interactive("alice");
    pump();
    REQUIRE(ce.requests.size() == 1);
    CHECK(ce.requests[0].prompts.size() == 2);
    CHECK(ce.requests[0].prompts[1].echo);
    CHECK(se.answers == std::vector<std::string>{"secret", "42"});
    REQUIRE(ce.auth_results.size() == 1);
    CHECK(ce.auth_results[0].success);
    CHECK(se.authenticated_user == "alice");
}

TEST_CASE("two factors: publickey then password, via partial success", "[auth]")
{
    Pair p(nothing, all_methods);
    REQUIRE(p.pump());
    p.server->set_auth_methods({"publickey"});
    // AuthenticationMethods publickey,password: the key is a partial success.
    int step = 0;
    p.server_events.auth_policy = [&](const bp::AuthRequest& r) {
        if (r.method == "publickey" && !r.signature_verified) {
            return true;  // PK_OK
        }
        if (r.method == "publickey") {
            ++step;
            p.server->set_auth_methods({"password"});
            p.server->answer_auth(bp::AuthVerdict::partial);
            return false;  // ignored: already answered
        }
        return r.method == "password" && burrow::to_string(r.password) == "secret";
    };
    p.client->auth_publickey("alice", *p.user_key);
    REQUIRE(p.pump());
    REQUIRE(step == 1);
    REQUIRE(p.client_events.auth_results.size() == 1);
    CHECK_FALSE(p.client_events.auth_results[0].success);
    CHECK(p.client_events.auth_results[0].partial_success);
    CHECK(p.client_events.auth_results[0].methods_can_continue ==
          std::vector<std::string>{"password"});
    p.client->auth_password("alice", burrow::as_bytes("secret"));
    REQUIRE(p.pump());
    REQUIRE(p.client_events.auth_results.size() == 2);
    CHECK(p.client_events.auth_results[1].success);
}

TEST_CASE("an unsolicited keyboard-interactive response is a protocol error", "[auth]")
{
    Pair p(nothing, all_methods);
    REQUIRE(p.pump());
    p.client->auth_keyboard_interactive("alice");
    // Policy rejects at once: no INFO_REQUEST, so no response may come.
    REQUIRE(p.pump());
    p.client->answer_info_request({"x"});  // ignored by the client: nothing pending
    REQUIRE(p.pump());
    CHECK_FALSE(p.server_events.disconnected);
}

namespace {

/// A key whose private half cannot sign (agent refusal, no passphrase).
class UnsignableKey : public burrow::crypto::PrivateKey {
public:
    explicit UnsignableKey(const burrow::crypto::PrivateKey& real, bool throws)
        : m_real(real), m_throws(throws)
    {
    }
    std::string_view key_type() const override { return m_real.key_type(); }
    const burrow::crypto::PublicKey& public_key() const override { return m_real.public_key(); }
    Bytes sign(std::string_view, burrow::ByteView, burrow::crypto::Rng&) const override
    {
        if (m_throws) {
            throw std::runtime_error("agent refused operation");
        }
        return {};
    }
    void write_private_fields(Bytes&) const override {}

private:
    const burrow::crypto::PrivateKey& m_real;
    bool m_throws;
};

}  // namespace

TEST_CASE("a key that cannot sign fails locally and the next key is tried", "[auth]")
{
    for (const bool throws : {true, false}) {
        Pair p;
        REQUIRE(p.pump());
        const UnsignableKey broken(*p.user_key, throws);
        p.client->auth_publickey("alice", broken);
        REQUIRE(p.pump());
        REQUIRE(p.client_events.auth_results.size() == 1);
        CHECK_FALSE(p.client_events.auth_results[0].success);
        CHECK_FALSE(p.client_events.disconnected);
        p.client->auth_publickey("alice", *p.user_key);
        REQUIRE(p.pump());
        REQUIRE(p.client_events.auth_results.size() == 2);
        CHECK(p.client_events.auth_results[1].success);
    }
}

TEST_CASE("a new request abandons keyboard-interactive and counts as an attempt", "[auth]")
{
    auto rng_c = burrow::crypto::make_seeded_rng(13);
    auto rng_s = burrow::crypto::make_seeded_rng(14);
    auto host = burrow::crypto::generate_ed25519(*rng_s);
    KbdClient ce;
    ce.answer = false;  // RFC 4256 §3.2: the client walks away from the prompts
    KbdServer se;
    bp::Config cc;
    cc.rng = rng_c.get();
    bp::Config sc;
    sc.role = bp::Role::server;
    sc.rng = rng_s.get();
    sc.host_keys = {host.get()};
    sc.auth_methods = {"keyboard-interactive"};
    sc.max_auth_tries = 2;
    bp::Connection client(cc, ce), server(sc, se);
    ce.conn = &client;
    se.conn = &server;
    client.start(bp::Millis(0));
    server.start(bp::Millis(0));
    const auto pump = [&] {
        for (int i = 0; i < 100; ++i) {
            if (!client.pending_output().empty()) {
                const Bytes b(client.pending_output().begin(), client.pending_output().end());
                client.consume_output(b.size());
                server.feed(b);
            }
            if (!server.pending_output().empty()) {
                const Bytes b(server.pending_output().begin(), server.pending_output().end());
                server.consume_output(b.size());
                client.feed(b);
            }
        }
    };
    pump();
    REQUIRE(ce.auth_ready);
    client.auth_keyboard_interactive("alice");
    pump();
    REQUIRE(ce.requests.size() == 1);
    // Instead of answering, start over: the server drops the first exchange.
    client.auth_keyboard_interactive("alice");
    pump();
    CHECK(se.abandoned == 1);
    CHECK_FALSE(se.disconnected);
    REQUIRE(ce.requests.size() == 2);
    // Abandoning again exceeds MaxAuthTries 2: abandoned attempts are not free.
    client.auth_keyboard_interactive("alice");
    pump();
    CHECK(se.abandoned == 2);
    REQUIRE(se.disconnected);
    CHECK(se.disconnected->message == "Too many authentication failures");
}
