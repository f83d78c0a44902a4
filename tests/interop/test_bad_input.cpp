// Malformed input on a raw socket: burrowd must hang up (with SSH_MSG_DISCONNECT whenever it
// can frame a packet), log the peer, and go on serving other clients.
// A wrong MAC needs a completed key exchange, which this raw peer does not do; the protocol
// core's unit tests cover it.

#include <catch2/catch.hpp>

#include <cctype>
#include <sstream>

#include "fixtures.h"
#include "raw_peer.h"

namespace burrow::interop_test {
namespace {

constexpr auto hangup_timeout = std::chrono::seconds(10);
constexpr auto log_timeout = std::chrono::seconds(10);
constexpr auto command_timeout = std::chrono::seconds(30);

const std::string client_version = "SSH-2.0-BurrowInteropProbe_1.0\r\n";

/// True if a line of @p log reports on the connection from 127.0.0.1 port @p peer_port beyond
/// its opening "Connection from ... on ..." line, i.e. says why or how it ended.
bool log_reports_on_peer(const std::string& log, uint16_t peer_port)
{
    const std::string peer = "127.0.0.1 port " + std::to_string(peer_port);
    std::istringstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        const size_t at = line.find(peer);
        if (at == std::string::npos) {
            continue;
        }
        const size_t after = at + peer.size();
        const bool whole_port =
            after == line.size() || std::isdigit(static_cast<unsigned char>(line[after])) == 0;
        const bool opening = line.find("Connection from " + peer + " on ") != std::string::npos;
        if (whole_port && !opening) {
            return true;
        }
    }
    return false;
}

/// A KEXINIT-shaped packet whose padding_length (250) exceeds its packet_length (28).
std::string packet_with_bad_padding()
{
    std::string body(27, '\0');
    body[0] = 20;  // SSH_MSG_KEXINIT
    return wire_uint32(28) + static_cast<char>(250) + body;
}

/// SSH_MSG_CHANNEL_OPEN "session" (RFC 4254 §5.1), framed correctly.
std::string channel_open_packet()
{
    const std::string payload = std::string(1, static_cast<char>(90)) + wire_string("session") +
                                wire_uint32(0) + wire_uint32(2u << 20) + wire_uint32(32768);
    return make_packet(payload);
}

struct BadInput {
    const char* name;
    std::string bytes;
    /// Half-close after sending (the input is cut short by the peer).
    bool close_after;
    /// The server can frame a packet, so it must answer with SSH_MSG_DISCONNECT.
    bool expect_disconnect;
};

std::vector<BadInput> bad_inputs()
{
    std::string garbage = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int i = 0; i < 512; ++i) {
        garbage.push_back(static_cast<char>((i * 37 + 11) & 0xff));
    }
    return {
        {"garbage instead of a version line", garbage, false, false},
        {"a truncated packet followed by close",
         client_version + wire_uint32(64) + std::string(10, '\x04'), true, false},
        {"a packet length of 0xFFFFFFFF",
         client_version + wire_uint32(0xffffffffu) + std::string(12, '\0'), false, true},
        {"a KEXINIT with padding longer than the packet",
         client_version + packet_with_bad_padding(), false, true},
        {"CHANNEL_OPEN before key exchange", client_version + channel_open_packet(), false, true},
    };
}

}  // namespace

TEST_CASE("burrowd rejects malformed input and keeps serving", "[interop][bad-input]")
{
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair user_key = make_openssh_key(dir, "user_key");
    const std::string authorized_keys = dir.file("authorized_keys");
    authorize(authorized_keys, user_key);
    Server server(ServerKind::burrowd, dir, host_key.private_path, authorized_keys);

    for (const BadInput& input : bad_inputs()) {
        SECTION(input.name)
        {
            RawConnection connection(server.port());
            connection.send(input.bytes);
            if (input.close_after) {
                connection.shutdown_write();
            }
            const RawConnection::Received received = connection.read_until_closed(hangup_timeout);
            const ServerStream stream = frame_server_stream(received.bytes);
            INFO("peer port " << connection.local_port() << ", server sent "
                              << received.bytes.size() << " bytes, version line ["
                              << stream.version_line << "], " << stream.payloads.size()
                              << " packets\nburrowd log:\n"
                              << tail(server.log()));
            CHECK(received.closed);
            if (input.expect_disconnect) {
                CHECK(has_disconnect(stream));
            }
            const bool logged = wait_until(
                [&] { return log_reports_on_peer(server.log(), connection.local_port()); },
                log_timeout);
            CHECK(logged);
            REQUIRE(server.running());

            const ClientOptions options{user_key.private_path, dir.file("known_hosts"), "no", ""};
            const std::vector<std::string> argv =
                client_command(ClientKind::openssh, server.port(), options, "echo ok");
            const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
            INFO(describe(argv, result));
            CHECK(result.exit_code == 0);
            CHECK(result.out == "ok\n");
        }
    }
}

}  // namespace burrow::interop_test
