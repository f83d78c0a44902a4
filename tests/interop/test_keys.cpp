// Key files cross over: keys made by burrow-keygen work with OpenSSH and the other way round,
// and both tools agree on fingerprints and public keys.

#include <catch2/catch.hpp>

#include <sstream>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);

/// The "SHA256:..." word of a fingerprint listing, or empty if there is none.
std::string sha256_fingerprint(const std::string& listing)
{
    std::istringstream in(listing);
    std::string word;
    while (in >> word) {
        if (word.rfind("SHA256:", 0) == 0) {
            return word;
        }
    }
    return {};
}

/// The first two words ("ssh-ed25519 AAAA...") of a public key line.
std::string type_and_blob(const std::string& line)
{
    std::istringstream in(line);
    std::string type;
    std::string blob;
    in >> type >> blob;
    return type + " " + blob;
}

RunResult run_tool(const std::vector<std::string>& argv, const TempDir& dir)
{
    const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

RunResult echo_ok(ClientKind client, const Server& server, const KeyPair& key, const TempDir& dir)
{
    const ClientOptions options{key.private_path, dir.file("known_hosts"), "no", ""};
    return run_tool(client_command(client, server.port(), options, "echo ok"), dir);
}

}  // namespace

TEST_CASE("a burrow-keygen key logs in with OpenSSH ssh to OpenSSH sshd", "[interop][keys]")
{
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair user_key = make_burrow_key(dir, "user_key");
    CHECK(read_text(user_key.public_path).find("user_key@interop") != std::string::npos);

    // OpenSSH derives the same public key from burrow-keygen's private key file.
    const RunResult derived =
        run_tool({tools().ssh_keygen, "-y", "-f", user_key.private_path}, dir);
    CHECK(derived.exit_code == 0);
    CHECK(type_and_blob(derived.out) == user_key.public_blob_line());

    const std::string authorized_keys = dir.file("authorized_keys");
    authorize(authorized_keys, user_key);
    const Server server(ServerKind::openssh, dir, host_key.private_path, authorized_keys);
    const RunResult result = echo_ok(ClientKind::openssh, server, user_key, dir);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
}

TEST_CASE("an ssh-keygen key logs in with burrow to burrowd", "[interop][keys]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    const RunResult result = echo_ok(ClientKind::burrow, server, user_key, dir);
    INFO("burrowd log:\n" << tail(server.log()));
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
}

TEST_CASE("burrowd serves with a burrow-keygen host key", "[interop][keys]")
{
    ServedHost served(ServerKind::burrowd, KeyMaker::burrow);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    const ClientOptions options{user_key.private_path, dir.file("known_hosts"), "accept-new", ""};
    const RunResult result =
        run_tool(client_command(ClientKind::openssh, server.port(), options, "echo ok"), dir);
    INFO("burrowd log:\n" << tail(server.log()));
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
    // The key OpenSSH recorded is the one burrow-keygen wrote.
    CHECK(read_text(dir.file("known_hosts")).find(host_key.public_blob()) != std::string::npos);
}

TEST_CASE("burrow-keygen and ssh-keygen agree on fingerprints and public keys", "[interop][keys]")
{
    const TempDir dir;
    const KeyPair burrow_made = make_burrow_key(dir, "burrow_made");
    const KeyPair openssh_made = make_openssh_key(dir, "openssh_made");

    for (const KeyPair* key : {&burrow_made, &openssh_made}) {
        for (const std::string& file : {key->public_path, key->private_path}) {
            const RunResult ours = run_tool({tools().burrow_keygen, "-l", "-f", file}, dir);
            const RunResult theirs = run_tool({tools().ssh_keygen, "-l", "-f", file}, dir);
            CHECK(ours.exit_code == 0);
            REQUIRE(theirs.exit_code == 0);
            CHECK_FALSE(sha256_fingerprint(theirs.out).empty());
            CHECK(sha256_fingerprint(ours.out) == sha256_fingerprint(theirs.out));
        }
        const RunResult ours =
            run_tool({tools().burrow_keygen, "-y", "-f", key->private_path}, dir);
        CHECK(ours.exit_code == 0);
        CHECK(type_and_blob(ours.out) == key->public_blob_line());
    }
}

}  // namespace burrow::interop_test
