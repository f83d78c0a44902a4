// Malformed input: burrowd must hang up (with SSH_MSG_DISCONNECT whenever it can frame a
// packet), log the peer, and go on serving other clients. Before key exchange the input comes
// from a raw socket; after it, a proxy corrupts one bit of a real OpenSSH client's stream so
// that a packet fails its MAC.

#include <catch2/catch.hpp>

#include <cctype>
#include <sstream>

#include "corrupting_proxy.h"
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
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;

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

TEST_CASE("burrowd drops a connection whose packet fails its MAC", "[interop][bad-input]")
{
    const std::string cipher = GENERATE(from_range(all_ciphers()));
    INFO("cipher " << cipher);
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;

    // 4 MiB through cat, with one bit flipped 2 MiB into the client's stream: long after the
    // key exchange, inside an encrypted packet.
    const std::string input = dir.file("input.bin");
    const std::vector<std::string> make_input{"head", "-c", "4194304", "/dev/urandom"};
    REQUIRE(
        run(make_input, RunOptions(dir.path(), command_timeout, "/dev/null", input)).exit_code ==
        0);
    const std::string output = dir.file("output.bin");
    RunResult result;
    uint16_t upstream_port = 0;
    {
        CorruptingProxy proxy(server.port(), 2u << 20);
        const ClientOptions options{user_key.private_path, dir.file("known_hosts"), "no", cipher};
        const std::vector<std::string> argv =
            client_command(ClientKind::openssh, proxy.port(), options, "cat");
        result = run(argv, RunOptions(dir.path(), command_timeout, input, output));
        upstream_port = proxy.upstream_port();
        INFO(describe(argv, result) << "\nburrowd log:\n" << tail(server.log()));
        REQUIRE(proxy.flipped());
        CHECK(result.exit_code == 255);
        CHECK(file_size(output) < file_size(input));
        // OpenSSH reports the server's SSH_MSG_DISCONNECT as "Received disconnect from ...".
        CHECK(to_lower(result.err).find("disconnect") != std::string::npos);
    }
    const bool logged =
        wait_until([&] { return log_reports_on_peer(server.log(), upstream_port); }, log_timeout);
    INFO("burrowd log:\n" << tail(server.log()));
    CHECK(logged);
    REQUIRE(server.running());

    const ClientOptions options{user_key.private_path, dir.file("known_hosts"), "no", cipher};
    const std::vector<std::string> argv =
        client_command(ClientKind::openssh, server.port(), options, "echo ok");
    const RunResult after = run(argv, RunOptions(dir.path(), command_timeout));
    INFO(describe(argv, after));
    CHECK(after.exit_code == 0);
    CHECK(after.out == "ok\n");
}

}  // namespace burrow::interop_test
