// The other mainstream clients on Debian 12 against burrowd, each with its own default
// algorithms: PuTTY's plink (putty-tools) and Dropbear's dbclient (dropbear-bin). Each runs a
// command and moves 10 MiB through `cat`, compared by SHA-256. The user key is made by ssh-keygen
// and converted with the client's own tool (puttygen, dropbearconvert). HOME points into the
// test's directory so neither tool reads or writes the real home.

#include <catch2/catch.hpp>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(60);
constexpr auto bulk_timeout = std::chrono::seconds(180);
constexpr unsigned bulk_mib = 10;

RunResult run_logged(const std::vector<std::string>& argv, const RunOptions& options)
{
    const RunResult result = run(argv, options);
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

/// The checks both clients get: `command_line(remote command)` runs the client.
template <typename CommandLine>
void check_client(const ServedHost& served, Server& server, const CommandLine& command_line)
{
    const TempDir& dir = served.dir;
    SECTION("a command")
    {
        const std::vector<std::string> argv = command_line("echo hello");
        const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
        INFO(describe(argv, result) << "\nburrowd log:\n" << tail(server.log()));
        CHECK(result.exit_code == 0);
        CHECK(result.out == "hello\n");
    }
    SECTION("10 MiB through cat")
    {
        const std::string& input = random_file(bulk_mib);
        const std::string output = dir.file("bulk.out");
        const std::vector<std::string> argv = command_line("cat");
        const RunResult result = run(argv, RunOptions{dir.path(), bulk_timeout, input, output});
        INFO(describe(argv, result) << "\nburrowd log:\n" << tail(server.log()));
        CHECK(result.exit_code == 0);
        REQUIRE(file_size(output) == file_size(input));
        CHECK(sha256_of_file(output, dir.path()) == sha256_of_file(input, dir.path()));
    }
}

}  // namespace

TEST_CASE("PuTTY plink -> burrowd", "[interop][other-clients][plink]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    const std::string ppk = dir.file("user_key.ppk");
    REQUIRE(run_logged({"puttygen", user_key.private_path, "-O", "private", "-o", ppk},
                       RunOptions{dir.path()})
                .exit_code == 0);
    const std::string fingerprint = sha256_fingerprint_of(host_key.public_path, dir.path());

    // -batch: never prompt; -hostkey: the only host key accepted (no cache involved).
    const auto command_line = [&, port = server.port()](const std::string& remote) {
        return std::vector<std::string>{
            "env", "HOME=" + dir.path(), "plink",     "-batch",     "-ssh",
            "-P",  std::to_string(port), "-l",        login_user(), "-i",
            ppk,   "-hostkey",           fingerprint, "-noagent",   "127.0.0.1",
            remote};
    };
    check_client(served, server, command_line);
}

TEST_CASE("Dropbear dbclient -> burrowd", "[interop][other-clients][dbclient]")
{
    ServedHost served(ServerKind::burrowd);
    auto& [dir, host_key, user_key, authorized_keys, server] = served;
    const std::string dropbear_key = dir.file("user_key.dropbear");
    REQUIRE(
        run_logged({"dropbearconvert", "openssh", "dropbear", user_key.private_path, dropbear_key},
                   RunOptions{dir.path()})
            .exit_code == 0);

    // -y -y: no host key check against a known_hosts file (the signature is still verified).
    const auto command_line = [&, port = server.port()](const std::string& remote) {
        return std::vector<std::string>{
            "env", "HOME=" + dir.path(), "dbclient", "-y",         "-y",
            "-p",  std::to_string(port), "-i",       dropbear_key, login_user() + "@127.0.0.1",
            remote};
    };
    check_client(served, server, command_line);
}

}  // namespace burrow::interop_test
