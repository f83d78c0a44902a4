// The command matrix run for every client/server pairing and every cipher: a command's
// output, its exit status, stdout and stderr kept apart, and a bulk transfer through `cat`.

#include <catch2/catch.hpp>

#include <initializer_list>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);
constexpr auto bulk_timeout = std::chrono::seconds(300);

void run_matrix(ClientKind client, ServerKind server_kind, const std::string& cipher)
{
    INFO(name_of(client) << " -> " << name_of(server_kind) << " with " << cipher);
    ServedHost served(server_kind);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    const ClientOptions options{user_key.private_path, dir.file("known_hosts"), "no", cipher};

    const auto remote = [&](const std::string& command) {
        const std::vector<std::string> argv =
            client_command(client, server.port(), options, command);
        const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
        UNSCOPED_INFO(describe(argv, result) << "\nserver log:\n" << tail(server.log()));
        return result;
    };

    SECTION("echo hello prints hello")
    {
        const RunResult result = remote("echo hello");
        CHECK(result.exit_code == 0);
        CHECK(result.out == "hello\n");
    }
    SECTION("the remote exit status is the client's exit status")
    {
        for (const int code : {0, 1, 42}) {
            const RunResult result = remote("exit " + std::to_string(code));
            CHECK(result.exit_code == code);
        }
    }
    SECTION("stdout and stderr stay apart")
    {
        const RunResult result = remote("echo out; echo err >&2");
        CHECK(result.exit_code == 0);
        CHECK(result.out == "out\n");
        // The client may print its own diagnostics on stderr, but the remote line is there and
        // nothing of stdout leaked into it.
        CHECK(result.err.find("err\n") != std::string::npos);
        CHECK(result.err.find("out") == std::string::npos);
    }
    SECTION("bulk data through cat keeps its SHA-256")
    {
        const std::string& input = bulk_input_file();
        const std::string output = dir.file("bulk.out");
        const std::vector<std::string> argv = client_command(client, server.port(), options, "cat");
        const RunResult result = run(argv, RunOptions{dir.path(), bulk_timeout, input, output});
        INFO(describe(argv, result) << "\nserver log:\n" << tail(server.log()));
        CHECK(result.exit_code == 0);
        REQUIRE(file_size(output) == file_size(input));
        CHECK(sha256_of_file(output, dir.path()) == sha256_of_file(input, dir.path()));
    }
}

}  // namespace

TEST_CASE("OpenSSH ssh -> burrowd", "[interop][ssh-to-burrowd]")
{
    const std::string cipher = GENERATE(from_range(all_ciphers()));
    run_matrix(ClientKind::openssh, ServerKind::burrowd, cipher);
}

TEST_CASE("burrow -> OpenSSH sshd", "[interop][burrow-to-sshd]")
{
    const std::string cipher = GENERATE(from_range(all_ciphers()));
    run_matrix(ClientKind::burrow, ServerKind::openssh, cipher);
}

TEST_CASE("burrow -> burrowd", "[interop][burrow-to-burrowd]")
{
    const std::string cipher = GENERATE(from_range(all_ciphers()));
    run_matrix(ClientKind::burrow, ServerKind::burrowd, cipher);
}

}  // namespace burrow::interop_test
