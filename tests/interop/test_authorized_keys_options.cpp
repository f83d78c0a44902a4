// authorized_keys options enforced by burrowd, proven with OpenSSH ssh: from= (another
// loopback source address), expiry-time=, command= with SSH_ORIGINAL_COMMAND, environment=
// with and without PermitUserEnvironment, StrictModes, and bad lines skipped.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);
constexpr auto log_timeout = std::chrono::seconds(10);

/// Replace the authorized_keys file with `options key` (and `extra` lines before it).
void authorize_with(const std::string& path, const KeyPair& key, const std::string& options,
                    const std::string& extra = "")
{
    write_text(path, extra + options + (options.empty() ? "" : " ") + key.public_blob_line() +
                         " test@interop\n");
}

/// OpenSSH ssh runs `command`; `bind` (if not empty) is the local source address.
RunResult ssh_run(const Server& server, const KeyPair& key, const TempDir& dir,
                  const std::string& command, const std::string& bind = "")
{
    ClientOptions options{key.private_path, dir.file("known_hosts"), "no", ""};
    if (!bind.empty()) {
        options.extra = {"-o", "BindAddress=" + bind};
    }
    const std::vector<std::string> argv =
        client_command(ClientKind::openssh, server.port(), options, command);
    const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

/// Waits (bounded) until the server's log contains `text`.
bool log_shows(const Server& server, const std::string& text)
{
    return wait_until([&] { return server.log().find(text) != std::string::npos; }, log_timeout);
}

}  // namespace

TEST_CASE("authorized_keys from= refuses other source addresses", "[interop][authkeys]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    INFO("burrowd log:\n" << tail(server.log()));

    authorize_with(authorized_keys, user_key, "from=\"127.0.0.2\"");
    const RunResult refused = ssh_run(server, user_key, dir, "echo ok");
    CHECK(refused.exit_code == 255);
    CHECK(refused.out.empty());
    CHECK(log_shows(server, "source address 127.0.0.1 not permitted by from=\"127.0.0.2\""));
    const RunResult allowed = ssh_run(server, user_key, dir, "echo ok", "127.0.0.2");
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.out == "ok\n");

    // Negation wins over a CIDR block that contains the address.
    authorize_with(authorized_keys, user_key, "from=\"127.0.0.0/8,!127.0.0.1\"");
    CHECK(ssh_run(server, user_key, dir, "echo ok").exit_code == 255);
    CHECK(ssh_run(server, user_key, dir, "echo ok", "127.0.0.3").out == "ok\n");
    // Wildcards.
    authorize_with(authorized_keys, user_key, "from=\"127.0.0.?\"");
    CHECK(ssh_run(server, user_key, dir, "echo ok").out == "ok\n");
}

TEST_CASE("authorized_keys expiry-time in the past refuses, in the future allows",
          "[interop][authkeys]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    INFO("burrowd log:\n" << tail(server.log()));

    authorize_with(authorized_keys, user_key, "expiry-time=\"20000101\"");
    const RunResult expired = ssh_run(server, user_key, dir, "echo ok");
    CHECK(expired.exit_code == 255);
    CHECK(log_shows(server, "key expired"));

    authorize_with(authorized_keys, user_key, "expiry-time=\"29991231235959Z\"");
    const RunResult valid = ssh_run(server, user_key, dir, "echo ok");
    CHECK(valid.exit_code == 0);
    CHECK(valid.out == "ok\n");
}

TEST_CASE("authorized_keys command= overrides the command and exposes SSH_ORIGINAL_COMMAND",
          "[interop][authkeys]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    INFO("burrowd log:\n" << tail(server.log()));

    authorize_with(authorized_keys, user_key,
                   R"(restrict,command="echo \"forced [$SSH_ORIGINAL_COMMAND]\"")");
    const RunResult result = ssh_run(server, user_key, dir, "echo requested; exit 3");
    CHECK(result.exit_code == 0);
    CHECK(result.out == "forced [echo requested; exit 3]\n");
}

TEST_CASE("authorized_keys environment= needs PermitUserEnvironment", "[interop][authkeys]")
{
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair user_key = make_openssh_key(dir, "user_key");
    const std::string authorized_keys = dir.file("authorized_keys");
    authorize_with(authorized_keys, user_key,
                   R"(environment="BURROW_KEY_VAR=from key",environment="USER=changed")");
    const std::string command = "echo \"[$BURROW_KEY_VAR] [$USER]\"";
    const std::string user = login_user();

    const Server plain(ServerKind::burrowd, dir, host_key.private_path, authorized_keys);
    const RunResult ignored = ssh_run(plain, user_key, dir, command);
    INFO("burrowd log:\n" << tail(plain.log()));
    CHECK(ignored.exit_code == 0);
    CHECK(ignored.out == "[] [" + user + "]\n");

    const Server permitting(
        ServerKind::burrowd, dir,
        ServerSettings{{host_key.private_path}, authorized_keys, {"PermitUserEnvironment=yes"}});
    const RunResult applied = ssh_run(permitting, user_key, dir, command);
    INFO("burrowd log:\n" << tail(permitting.log()));
    CHECK(applied.exit_code == 0);
    CHECK(applied.out == "[from key] [changed]\n");
}

TEST_CASE("StrictModes refuses a group-writable authorized_keys or directory",
          "[interop][authkeys]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    INFO("burrowd log:\n" << tail(server.log()));

    REQUIRE(::chmod(authorized_keys.c_str(), 0664) == 0);
    CHECK(ssh_run(server, user_key, dir, "echo ok").exit_code == 255);
    CHECK(log_shows(server,
                    "Authentication refused: bad ownership or modes for file " + authorized_keys));

    REQUIRE(::chmod(authorized_keys.c_str(), 0644) == 0);
    REQUIRE(::chmod(dir.path().c_str(), 0770) == 0);
    CHECK(ssh_run(server, user_key, dir, "echo ok").exit_code == 255);
    CHECK(log_shows(server,
                    "Authentication refused: bad ownership or modes for directory " + dir.path()));

    REQUIRE(::chmod(dir.path().c_str(), 0700) == 0);
    CHECK(ssh_run(server, user_key, dir, "echo ok").out == "ok\n");

    // StrictModes no: the same bad mode is accepted.
    REQUIRE(::chmod(authorized_keys.c_str(), 0666) == 0);
    const Server lax(ServerKind::burrowd, dir,
                     ServerSettings{{host_key.private_path}, authorized_keys, {"StrictModes=no"}});
    CHECK(ssh_run(lax, user_key, dir, "echo ok").out == "ok\n");
    REQUIRE(::chmod(authorized_keys.c_str(), 0600) == 0);
}

TEST_CASE("a bad authorized_keys line is logged and skipped; the others still work",
          "[interop][authkeys]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    INFO("burrowd log:\n" << tail(server.log()));

    const std::string bad = "no-such-option " + user_key.public_blob_line() + "\n" +
                            "command=\"unterminated " + user_key.public_blob_line() + "\n";
    authorize_with(authorized_keys, user_key, "", bad);
    CHECK(ssh_run(server, user_key, dir, "echo ok").out == "ok\n");
    CHECK(log_shows(server,
                    authorized_keys + ":1: bad key options: unknown option \"no-such-option\""));
    CHECK(log_shows(server, authorized_keys + ":2: bad key options: unterminated quote"));
}

}  // namespace burrow::interop_test
