// Hostile forwarding input to burrowd, sent by a client on the protocol core
// after a real login (tests/interop/auth_probe.h): forwarded-tcpip opens
// from the client (RFC 4254 §7.2: only the server opens them), tcpip-forward
// for a privileged port by a non-root user, a malformed tcpip-forward body,
// and a session open after no-more-sessions@openssh.com (OpenSSH PROTOCOL
// §2.2). Each is refused cleanly and logged.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "auth_probe.h"
#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "fixtures.h"
#include "protocol/auth/signed_data.h"
#include "protocol/messages/numbers.h"

namespace burrow::interop_test {
namespace {

namespace msg = protocol::msg;
constexpr auto step_timeout = std::chrono::seconds(20);
constexpr const char* algorithm = "ssh-ed25519";
constexpr const char* test_user = "burrowtest";

/// A burrowd where one key logs in as root and as the test user.
struct Host {
    Host()
        : host_key(make_openssh_key(dir, "host_key")),
          user_key(make_openssh_key(dir, "user_key")),
          authorized_keys(dir.file("authorized_keys")),
          server(ServerKind::burrowd, dir, settings(host_key, authorized_keys, user_key))
    {
        crypto::KeyFileResult result =
            crypto::parse_private_key_file(read_text(user_key.private_path), {});
        REQUIRE(result.loaded);
        key = std::move(result.loaded->key);
    }

    static ServerSettings settings(const KeyPair& host, const std::string& path, const KeyPair& k)
    {
        write_text(path, k.public_blob_line() + "\n", 0644);
        return ServerSettings{{host.private_path}, path, {}};
    }

    bool log_has(const std::string& text) const
    {
        return wait_until([&] { return server.log().find(text) != std::string::npos; },
                          step_timeout);
    }

    /// A probe logged in as `name` with publickey (RFC 4252 §7).
    std::unique_ptr<AuthProbe> login(const std::string& name) const
    {
        auto probe = std::make_unique<AuthProbe>(server.port(), step_timeout);
        REQUIRE(probe->ready());
        Bytes p{msg::userauth_request};
        put_string(p, name);
        put_string(p, "ssh-connection");
        put_string(p, "publickey");
        p.push_back(1);
        put_string(p, algorithm);
        const Bytes& blob = key->public_key().blob();
        put_string(p, ByteView(blob));
        const Bytes data = protocol::auth::publickey_signed_data(probe->session_id(), name,
                                                                 "ssh-connection", algorithm, blob);
        const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
        put_string(p, ByteView(key->sign(algorithm, data, *rng)));
        probe->send(p);
        REQUIRE(probe->wait_for(msg::userauth_success, step_timeout));
        return probe;
    }

    TempDir dir;
    KeyPair host_key;
    KeyPair user_key;
    std::string authorized_keys;
    Server server;
    std::unique_ptr<crypto::PrivateKey> key;
};

/// CHANNEL_OPEN (RFC 4254 §5.1) of `type` with sender channel 7.
Bytes channel_open(const std::string& type, const Bytes& specific = {})
{
    Bytes p{msg::channel_open};
    put_string(p, type);
    put_u32(p, 7);
    put_u32(p, 65536);
    put_u32(p, 32768);
    p.insert(p.end(), specific.begin(), specific.end());
    return p;
}

/// GLOBAL_REQUEST tcpip-forward (RFC 4254 §7.1) for `address`:`port`.
Bytes tcpip_forward(const std::string& address, uint32_t port)
{
    Bytes p{msg::global_request};
    put_string(p, "tcpip-forward");
    p.push_back(1);
    put_string(p, address);
    put_u32(p, port);
    return p;
}

uint32_t u32_at(const Bytes& b, size_t at)
{
    return (uint32_t{b.at(at)} << 24) | (uint32_t{b.at(at + 1)} << 16) |
           (uint32_t{b.at(at + 2)} << 8) | uint32_t{b.at(at + 3)};
}

}  // namespace

TEST_CASE("burrowd refuses hostile forwarding requests cleanly", "[forwarding-bad-input]")
{
    if (::geteuid() != 0) {
        FAIL("these tests must run as root (burrowd switches to " << test_user << "), as in CI");
    }
    TempDir scratch;
    if (::getpwnam(test_user) == nullptr) {
        REQUIRE(run({"useradd", "-m", "-s", "/bin/sh", test_user}, RunOptions{scratch.path()})
                    .exit_code == 0);
    }
    Host host;
    ::chmod(host.dir.path().c_str(), 0755);  // burrowd reads authorized_keys as the user
    INFO("burrowd log:\n" << tail(host.server.log()));

    SECTION("a forwarded-tcpip open from the client: administratively prohibited")
    {
        auto probe = host.login("root");
        Bytes specific;
        put_string(specific, "127.0.0.1");
        put_u32(specific, 22);
        put_string(specific, "127.0.0.1");
        put_u32(specific, 5555);
        probe->send(channel_open("forwarded-tcpip", specific));
        const std::optional<Reply> reply = probe->wait_for(msg::channel_open_failure, step_timeout);
        REQUIRE(reply);
        CHECK(u32_at(reply->payload, 1) == 7);  // our channel
        CHECK(u32_at(reply->payload, 5) == 1);  // SSH_OPEN_ADMINISTRATIVELY_PROHIBITED
        CHECK(host.log_has("refused forwarded-tcpip channel opened by the client"));
        // The connection goes on: a legitimate remote forward still works.
        probe->send(tcpip_forward("127.0.0.1", 0));
        const std::optional<Reply> bound = probe->wait_for(msg::request_success, step_timeout);
        REQUIRE(bound);
        REQUIRE(bound->payload.size() == 5);
        CHECK(u32_at(bound->payload, 1) != 0);  // RFC 4254 §7.1: the port bound
    }
    SECTION("a privileged port by a non-root user: REQUEST_FAILURE")
    {
        auto probe = host.login(test_user);
        probe->send(tcpip_forward("127.0.0.1", 80));
        CHECK(probe->wait_for(msg::request_failure, step_timeout));
        CHECK(host.log_has("(privileged port)"));
        probe->send(tcpip_forward("127.0.0.1", 0));
        CHECK(probe->wait_for(msg::request_success, step_timeout));
    }
    SECTION("a malformed tcpip-forward body: disconnected")
    {
        auto probe = host.login("root");
        Bytes p{msg::global_request};
        put_string(p, "tcpip-forward");
        p.push_back(1);
        put_string(p, "127.0.0.1");  // the port is missing
        probe->send(p);
        CHECK(probe->wait_closed(step_timeout));
        CHECK(probe->wait_for(msg::request_success, std::chrono::seconds(0)) == std::nullopt);
    }
    SECTION("a session after no-more-sessions@openssh.com: disconnected")
    {
        auto probe = host.login("root");
        Bytes p{msg::global_request};
        put_string(p, "no-more-sessions@openssh.com");
        p.push_back(0);
        probe->send(p);
        probe->send(channel_open("session"));
        CHECK(probe->wait_closed(step_timeout));
        CHECK(
            host.log_has("Possible attack: attempt to open a session after additional "
                         "sessions disabled"));
    }
}

}  // namespace burrow::interop_test
