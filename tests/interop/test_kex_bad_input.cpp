// Key exchange abuse against burrowd over a raw socket, in cleartext right after the version
// exchange: KEXINIT sent over and over, and packets that strict key exchange
// (kex-strict-c-v00@openssh.com, OpenSSH PROTOCOL §1.10) forbids during the initial key
// exchange. Each must end in SSH_MSG_DISCONNECT and a closed connection, and burrowd must keep
// serving other clients.
// (Bad DH values and points off the curve are covered by the crypto and protocol unit tests.)

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "raw_peer.h"

namespace burrow::interop_test {
namespace {

constexpr auto hangup_timeout = std::chrono::seconds(10);
/// How long a server that is in the right must go on waiting for the next key exchange message
/// before the control cases count it as "did not hang up".
constexpr auto quiet_period = std::chrono::seconds(2);
constexpr auto command_timeout = std::chrono::seconds(30);

const std::string client_version = "SSH-2.0-BurrowInteropProbe_1.0\r\n";
const std::string strict_marker = "kex-strict-c-v00@openssh.com";

constexpr unsigned char msg_disconnect = 1;
constexpr unsigned char msg_kexinit = 20;

std::string kexinit(bool strict)
{
    std::vector<std::string> kex{"curve25519-sha256"};
    if (strict) {
        kex.push_back(strict_marker);
    }
    return make_packet(kexinit_payload(kex));
}

/// SSH_MSG_IGNORE (RFC 4253 §11.2) with some data.
std::string ignore_packet()
{
    return make_packet(std::string(1, static_cast<char>(2)) + wire_string("burrow interop"));
}

struct Exchange {
    RawConnection::Received received;
    ServerStream stream;
};

Exchange exchange(Server& server, const std::string& bytes, Clock::duration wait)
{
    RawConnection connection(server.port());
    connection.send(bytes);
    Exchange result{connection.read_until_closed(wait), {}};
    result.stream = frame_server_stream(result.received.bytes);
    UNSCOPED_INFO("server sent " << result.received.bytes.size() << " bytes, version line ["
                                 << result.stream.version_line << "], "
                                 << result.stream.payloads.size() << " packets, closed "
                                 << result.received.closed << "\nburrowd log:\n"
                                 << tail(server.log()));
    return result;
}

void check_still_serving(const ServedHost& served, Server& server)
{
    const ClientOptions options{served.user_key.private_path, served.dir.file("known_hosts"), "no",
                                ""};
    const std::vector<std::string> argv =
        client_command(ClientKind::openssh, server.port(), options, "echo ok");
    const RunResult result = run(argv, RunOptions{served.dir.path(), command_timeout});
    INFO(describe(argv, result));
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
}

void check_disconnected(const Exchange& exchange)
{
    CHECK(exchange.received.closed);
    CHECK(count_messages(exchange.stream, msg_disconnect) == 1);
    // Its own KEXINIT once: a repeated KEXINIT does not start a key exchange per copy.
    CHECK(count_messages(exchange.stream, msg_kexinit) == 1);
}

}  // namespace

TEST_CASE("burrowd disconnects on KEXINIT repeated in a loop", "[interop][bad-input][kex]")
{
    ServedHost served(ServerKind::burrowd);
    Server& server = served.server;
    const bool strict = GENERATE(false, true);
    INFO((strict ? "with" : "without") << " strict kex");
    std::string bytes = client_version;
    for (int i = 0; i < 200; ++i) {
        bytes += kexinit(strict);
    }
    check_disconnected(exchange(server, bytes, hangup_timeout));
    REQUIRE(server.running());
    check_still_serving(served, server);
}

TEST_CASE("burrowd enforces strict kex during the initial key exchange",
          "[interop][bad-input][kex][strict-kex]")
{
    ServedHost served(ServerKind::burrowd);
    Server& server = served.server;

    SECTION("IGNORE right after a strict KEXINIT")
    {
        const Exchange result =
            exchange(server, client_version + kexinit(true) + ignore_packet(), hangup_timeout);
        REQUIRE(!result.stream.payloads.empty());
        // Strict mode needs the server's marker too (PROTOCOL §1.10).
        CHECK(result.stream.payloads[0].find("kex-strict-s-v00@openssh.com") != std::string::npos);
        check_disconnected(result);
    }
    SECTION("IGNORE before a strict KEXINIT: KEXINIT must be the first packet")
    {
        const Exchange result =
            exchange(server, client_version + ignore_packet() + kexinit(true), hangup_timeout);
        check_disconnected(result);
    }
    SECTION("control: without strict kex, IGNORE during key exchange is allowed")
    {
        // RFC 4253 §11.2: IGNORE may be sent at any time. burrowd must keep waiting for the
        // client's key exchange message, so the connection is still open after a while.
        const Exchange result =
            exchange(server, client_version + kexinit(false) + ignore_packet(), quiet_period);
        CHECK(!result.received.closed);
        CHECK(count_messages(result.stream, msg_disconnect) == 0);
    }
    REQUIRE(server.running());
    check_still_serving(served, server);
}

}  // namespace burrow::interop_test
