// burrow's host key checking against OpenSSH sshd (the reference server, so only the client's
// behaviour is under test): strict refusal, accept-new, a changed key, hashed entries.

#include <catch2/catch.hpp>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);

/// The host pattern of a non-standard port in known_hosts: "[127.0.0.1]:PORT".
std::string host_pattern(uint16_t port)
{
    return "[127.0.0.1]:" + std::to_string(port);
}

}  // namespace

TEST_CASE("burrow checks host keys against known_hosts", "[interop][known-hosts]")
{
    ServedHost served(ServerKind::openssh);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    const std::string known_hosts = dir.file("known_hosts");
    write_text(known_hosts, "");

    const auto connect = [&](const std::string& strict) {
        const ClientOptions options{user_key.private_path, known_hosts, strict, ""};
        const std::vector<std::string> argv =
            client_command(ClientKind::burrow, server.port(), options, "echo ok");
        const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
        UNSCOPED_INFO(describe(argv, result) << "\nknown_hosts:\n" << read_text(known_hosts));
        return result;
    };

    SECTION("strict checking with an empty known_hosts refuses the host")
    {
        const RunResult result = connect("yes");
        CHECK(result.exit_code == 255);
        CHECK(result.out.empty());
        CHECK(read_text(known_hosts).empty());
    }
    SECTION("accept-new records the key and the next strict run succeeds")
    {
        const RunResult first = connect("accept-new");
        CHECK(first.exit_code == 0);
        CHECK(first.out == "ok\n");
        const std::string recorded = read_text(known_hosts);
        CHECK(recorded.find(host_key.public_blob()) != std::string::npos);
        const bool names_host = recorded.find(host_pattern(server.port())) != std::string::npos ||
                                recorded.rfind("|1|", 0) == 0;
        CHECK(names_host);

        const RunResult second = connect("yes");
        CHECK(second.exit_code == 0);
        CHECK(second.out == "ok\n");
    }
    SECTION("a changed host key is refused")
    {
        const KeyPair other_key = make_openssh_key(dir, "other_host_key");
        const std::string entry =
            host_pattern(server.port()) + " " + other_key.public_blob_line() + "\n";
        write_text(known_hosts, entry);
        for (const char* strict : {"yes", "accept-new"}) {
            const RunResult result = connect(strict);
            CHECK(result.exit_code == 255);
            CHECK(result.out.empty());
            CHECK(to_lower(result.err).find("chang") != std::string::npos);
            CHECK(read_text(known_hosts) == entry);
        }
    }
    SECTION("a hashed entry made by ssh-keygen -H is honoured")
    {
        write_text(known_hosts,
                   host_pattern(server.port()) + " " + host_key.public_blob_line() + "\n");
        const std::vector<std::string> hash{tools().ssh_keygen, "-H", "-f", known_hosts};
        const RunResult hashed = run(hash, RunOptions{dir.path(), command_timeout});
        INFO(describe(hash, hashed));
        REQUIRE(hashed.exit_code == 0);
        REQUIRE(read_text(known_hosts).rfind("|1|", 0) == 0);

        const RunResult result = connect("yes");
        CHECK(result.exit_code == 0);
        CHECK(result.out == "ok\n");
    }
}

}  // namespace burrow::interop_test
