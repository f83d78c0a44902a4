// Banner (sshd_config(5)): OpenSSH ssh shows the file burrowd sends as
// SSH_MSG_USERAUTH_BANNER before authentication (RFC 4252 §5.4) on its
// stderr; without Banner (default none) nothing is sent. OpenSSH sshd runs
// the same cases as the reference.
#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);
constexpr const char* banner_line = "Burrow test banner: authorized use only";

/// OpenSSH ssh running `echo ok`, at LogLevel INFO: ssh prints banners only
/// from that level on, and the fixture's command line asks for ERROR.
std::vector<std::string> ssh_showing_banner(uint16_t port, const ClientOptions& options)
{
    std::vector<std::string> argv = client_command(ClientKind::openssh, port, options, "echo ok");
    const auto level = std::find(argv.begin(), argv.end(), "LogLevel=ERROR");
    REQUIRE(level != argv.end());
    *level = "LogLevel=INFO";
    return argv;
}

}  // namespace

TEST_CASE("ssh shows the Banner file before authentication", "[interop][banner]")
{
    const ServerKind kind = GENERATE(ServerKind::burrowd, ServerKind::openssh);
    const bool with_banner = GENERATE(true, false);
    INFO("server " << name_of(kind) << (with_banner ? " with" : " without") << " Banner");

    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair user_key = make_openssh_key(dir, "user_key");
    const std::string authorized_keys = dir.file("authorized_keys");
    authorize(authorized_keys, user_key);
    const std::string banner = dir.file("banner");
    write_text(banner, std::string(banner_line) + "\n", 0644);

    ServerSettings settings{{host_key.private_path}, authorized_keys, {}};
    settings.options.push_back(with_banner ? "Banner=" + banner : "Banner=none");
    Server server(kind, dir, settings);

    const ClientOptions options{user_key.private_path, dir.file("known_hosts"), "no", ""};
    const std::vector<std::string> argv = ssh_showing_banner(server.port(), options);
    const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    INFO(describe(argv, result) << "\nserver log:\n" << server.log());
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == "ok\n");
    CHECK((result.err.find(banner_line) != std::string::npos) == with_banner);
}

}  // namespace burrow::interop_test
