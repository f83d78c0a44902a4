// Hostile user authentication input against a real burrowd, sent after a real key exchange
// (encrypted) by AuthProbe: USERAUTH_SUCCESS from the client, connection protocol messages
// before authentication, a signature over the wrong session identifier, a key queried and
// another one signed, a password too large for any packet and a large one that fits. Each ends
// in SSH_MSG_DISCONNECT with burrowd's log line in sshd's format, and a connection opened
// before keeps working.

#include <catch2/catch.hpp>

#include "auth_probe.h"
#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "fixtures.h"
#include "protocol/auth/signed_data.h"
#include "protocol/messages/numbers.h"

namespace burrow::interop_test {
namespace {

constexpr auto step_timeout = std::chrono::seconds(20);
constexpr const char* user = "root";
constexpr const char* algorithm = "ssh-ed25519";

std::unique_ptr<crypto::PrivateKey> load_key(const KeyPair& pair)
{
    crypto::KeyFileResult result = crypto::parse_private_key_file(read_text(pair.private_path), {});
    REQUIRE(result.loaded);
    return std::move(result.loaded->key);
}

/// A burrowd with MaxAuthTries 2 and key A authorized for root; key B is not.
struct BadInputHost {
    BadInputHost()
        : host_key(make_openssh_key(dir, "host_key")),
          key_a(make_openssh_key(dir, "key_a")),
          key_b(make_openssh_key(dir, "key_b")),
          authorized_keys(dir.file("authorized_keys")),
          server(ServerKind::burrowd, dir, settings(host_key, authorized_keys, key_a)),
          a(load_key(key_a)),
          b(load_key(key_b))
    {
    }

    static ServerSettings settings(const KeyPair& host, const std::string& path, const KeyPair& a)
    {
        write_text(path, a.public_blob_line() + "\n", 0644);
        return ServerSettings{{host.private_path}, path, {"MaxAuthTries=2"}};
    }

    bool log_has(const std::string& text)
    {
        return wait_until([&] { return server.log().find(text) != std::string::npos; },
                          step_timeout);
    }

    TempDir dir;
    KeyPair host_key;
    KeyPair key_a;
    KeyPair key_b;
    std::string authorized_keys;
    Server server;
    std::unique_ptr<crypto::PrivateKey> a;
    std::unique_ptr<crypto::PrivateKey> b;
};

/// USERAUTH_REQUEST header (RFC 4252 §5).
Bytes userauth_request(const std::string& name, const std::string& method)
{
    Bytes p{protocol::msg::userauth_request};
    put_string(p, name);
    put_string(p, "ssh-connection");
    put_string(p, method);
    return p;
}

/// publickey request (RFC 4252 §7) for @p name: a query, or signed over @p session_id.
Bytes publickey_request(const crypto::PrivateKey& key, std::optional<Bytes> session_id,
                        const std::string& name = user)
{
    Bytes p = userauth_request(name, "publickey");
    p.push_back(session_id ? 1 : 0);
    put_string(p, algorithm);
    const Bytes& blob = key.public_key().blob();
    put_string(p, ByteView(blob));
    if (session_id) {
        const Bytes data = protocol::auth::publickey_signed_data(*session_id, name,
                                                                 "ssh-connection", algorithm, blob);
        const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
        put_string(p, ByteView(key.sign(algorithm, data, *rng)));
    }
    return p;
}

Bytes password_request(const std::string& name, size_t size)
{
    Bytes p = userauth_request(name, "password");
    p.push_back(0);
    put_string(p, std::string(size, 'x'));
    return p;
}

/// The probe was disconnected with a DISCONNECT whose text burrowd also logged, sshd-style.
void check_disconnect_logged(BadInputHost& host, AuthProbe& probe, const std::string& who)
{
    CHECK(probe.wait_closed(step_timeout));
    const auto disconnect = probe.disconnect();
    REQUIRE(disconnect);
    INFO("DISCONNECT " << disconnect->first << ": " << disconnect->second);
    CHECK(probe.wait_for(protocol::msg::userauth_success, std::chrono::seconds(0)) == std::nullopt);
    for (const Reply& reply : probe.replies()) {
        CHECK(reply.type != protocol::msg::userauth_success);
    }
    const std::string line = "Disconnecting " + who + "127.0.0.1 port " +
                             std::to_string(probe.local_port()) + ": " + disconnect->second +
                             " [preauth]";
    const bool logged = host.log_has(line);
    INFO("burrowd log:\n" << tail(host.server.log()));
    CHECK(logged);
}

/// A connection opened before the bad input still logs in with key A.
void check_bystander(BadInputHost& host, AuthProbe& bystander)
{
    bystander.send(publickey_request(*host.a, bystander.session_id()));
    CHECK(bystander.wait_for(protocol::msg::userauth_success, step_timeout));
}

}  // namespace

TEST_CASE("burrowd: messages a client may not send before authentication",
          "[interop][auth][bad-input]")
{
    BadInputHost host;
    AuthProbe bystander(host.server.port(), step_timeout);
    REQUIRE(bystander.ready());
    // 52 USERAUTH_SUCCESS; 80 GLOBAL_REQUEST, 90 CHANNEL_OPEN, 94 CHANNEL_DATA, 98
    // CHANNEL_REQUEST (RFC 4252 §6: the connection protocol starts only after success).
    const uint8_t type = GENERATE(as<uint8_t>{}, 52, 80, 90, 94, 98);
    INFO("message " << int{type});
    AuthProbe probe(host.server.port(), step_timeout);
    REQUIRE(probe.ready());
    Bytes payload{type};
    put_string(payload, "session");
    put_u32(payload, 0);
    probe.send(payload);
    check_disconnect_logged(host, probe, "");
    check_bystander(host, bystander);
}

TEST_CASE("burrowd: a signature over another session identifier fails",
          "[interop][auth][bad-input]")
{
    BadInputHost host;
    AuthProbe bystander(host.server.port(), step_timeout);
    REQUIRE(bystander.ready());
    AuthProbe probe(host.server.port(), step_timeout);
    REQUIRE(probe.ready());
    // The bystander's session identifier: a real one, of another connection.
    const Bytes other = bystander.session_id();
    REQUIRE(other != probe.session_id());
    probe.send(publickey_request(*host.a, other));
    CHECK(probe.wait_for(protocol::msg::userauth_failure, step_timeout));
    // sshd's line for a signature that does not verify, naming the key.
    const std::string fingerprint_a = crypto::fingerprint_sha256(host.a->public_key().blob());
    CHECK(wait_until(
        [&] {
            return host.server.log().find("Failed publickey for root from 127.0.0.1 port") !=
                       std::string::npos &&
                   host.server.log().find(fingerprint_a) != std::string::npos;
        },
        step_timeout));
    probe.send(publickey_request(*host.a, other));
    check_disconnect_logged(host, probe, "authenticating user root ");
    CHECK(probe.disconnect()->second == "Too many authentication failures");
    check_bystander(host, bystander);
}

TEST_CASE("burrowd: a query with key A then a signature with key B fails",
          "[interop][auth][bad-input]")
{
    BadInputHost host;
    AuthProbe bystander(host.server.port(), step_timeout);
    REQUIRE(bystander.ready());
    AuthProbe probe(host.server.port(), step_timeout);
    REQUIRE(probe.ready());
    probe.send(publickey_request(*host.a, std::nullopt));
    CHECK(probe.wait_for(protocol::msg::userauth_pk_ok, step_timeout));  // A is authorized
    probe.send(publickey_request(*host.b, probe.session_id()));
    CHECK(probe.wait_for(protocol::msg::userauth_failure, step_timeout));
    const std::string fingerprint_b = crypto::fingerprint_sha256(host.b->public_key().blob());
    CHECK(host.log_has("Failed publickey for root from 127.0.0.1 port " +
                       std::to_string(probe.local_port()) + " ssh2: ED25519 " + fingerprint_b));
    probe.send(publickey_request(*host.b, probe.session_id()));
    CHECK(
        host.log_has("error: maximum authentication attempts exceeded for root from 127.0.0.1 "
                     "port " +
                     std::to_string(probe.local_port()) + " ssh2 [preauth]"));
    check_disconnect_logged(host, probe, "authenticating user root ");
    check_bystander(host, bystander);  // control: A's own signature is accepted
}

TEST_CASE("burrowd: a 1 MB password is a packet too large", "[interop][auth][bad-input]")
{
    BadInputHost host;
    AuthProbe bystander(host.server.port(), step_timeout);
    REQUIRE(bystander.ready());
    AuthProbe probe(host.server.port(), step_timeout);
    REQUIRE(probe.ready());
    probe.send(password_request("nosuchuser-burrow", 1024 * 1024));
    CHECK(probe.wait_closed(step_timeout));
    const auto disconnect = probe.disconnect();
    REQUIRE(disconnect);
    // RFC 4253 §6.1: burrowd takes packets up to protocol::limits::max_packet_size.
    CHECK(disconnect->first == 2);  // SSH_DISCONNECT_PROTOCOL_ERROR
    CHECK_THAT(disconnect->second, Catch::StartsWith("bad packet length 10"));
    check_disconnect_logged(host, probe, "");
    CHECK(host.server.log().find("xxxxxxxx") == std::string::npos);
    check_bystander(host, bystander);
}

TEST_CASE("burrowd: a 64 KB password fails like any wrong password", "[interop][auth][bad-input]")
{
    BadInputHost host;
    AuthProbe bystander(host.server.port(), step_timeout);
    REQUIRE(bystander.ready());
    AuthProbe probe(host.server.port(), step_timeout);
    REQUIRE(probe.ready());
    const std::string port = std::to_string(probe.local_port());
    probe.send(password_request("nosuchuser-burrow", 64 * 1024));
    CHECK(probe.wait_for(protocol::msg::userauth_failure, step_timeout));
    CHECK(host.log_has("Failed password for invalid user nosuchuser-burrow from 127.0.0.1 port " +
                       port + " ssh2"));
    probe.send(password_request("nosuchuser-burrow", 64 * 1024));
    check_disconnect_logged(host, probe, "invalid user nosuchuser-burrow ");
    CHECK(host.server.log().find("xxxxxxxx") == std::string::npos);
    check_bystander(host, bystander);
}

TEST_CASE("burrowd: a user refused by DenyUsers cannot come back under another name",
          "[interop][auth][bad-input]")
{
    // Key A is authorized for root, but DenyUsers refuses root. A bad
    // signature for another name must not reset the refusal: burrowd ends
    // the connection on the change of user name, as sshd does.
    TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair key_a = make_openssh_key(dir, "key_a");
    const std::string authorized_keys = dir.file("authorized_keys");
    write_text(authorized_keys, key_a.public_blob_line() + "\n", 0644);
    Server server(ServerKind::burrowd, dir,
                  ServerSettings{{host_key.private_path}, authorized_keys, {"DenyUsers=root"}});
    const std::unique_ptr<crypto::PrivateKey> a = load_key(key_a);
    AuthProbe probe(server.port(), step_timeout);
    REQUIRE(probe.ready());

    // A query for root: refused (USERAUTH_FAILURE, not PK_OK) by DenyUsers.
    probe.send(publickey_request(*a, std::nullopt));
    CHECK(probe.wait_for(protocol::msg::userauth_failure, step_timeout));
    // A signature over the wrong session identifier, for another user name.
    const Bytes wrong(32, 0x42);
    probe.send(publickey_request(*a, wrong, "daemon"));
    // Then root's own valid signature.
    probe.send(publickey_request(*a, probe.session_id()));
    CHECK(probe.wait_closed(step_timeout));
    INFO("burrowd log:\n" << tail(server.log()));
    for (const Reply& reply : probe.replies()) {
        CHECK(reply.type != protocol::msg::userauth_success);
    }
    const auto disconnect = probe.disconnect();
    REQUIRE(disconnect);
    CHECK(disconnect->second == "Change of username not allowed");
    CHECK(server.log().find("User root from 127.0.0.1 not allowed because listed in DenyUsers") !=
          std::string::npos);
}

}  // namespace burrow::interop_test
