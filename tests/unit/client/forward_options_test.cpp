// Port forwarding options (issue E): -L / -R / -D specifications (valid and
// malformed, IPv6 in brackets, Unix socket paths), the *Forward keywords,
// GatewayPorts / -g, ExitOnForwardFailure, ClearAllForwardings,
// ServerAlive*, -N, -f and their `burrow -G` lines.
#include <catch2/catch.hpp>

#include "client/config_dump.h"
#include "client/forward_spec.h"
#include "client/options.h"

namespace client = burrow::client;
using client::CommandAction;
using client::ForwardSpec;
using Kind = client::ForwardSpec::Kind;

namespace {

std::optional<ForwardSpec> parse(Kind kind, const std::string& text)
{
    std::string error;
    auto spec = client::parse_forward_spec(kind, text, error);
    if (!spec) {
        CHECK_FALSE(error.empty());
    }
    return spec;
}

client::Settings settings_of(std::vector<std::string> args)
{
    const auto parsed = client::parse_command_line(args);
    REQUIRE(parsed.action == CommandAction::run);
    return client::resolve_settings(parsed.config, "/home/me", "me");
}

}  // namespace

TEST_CASE("-L specifications", "[client][options][forward]")
{
    auto spec = parse(Kind::local, "8080:localhost:80");
    REQUIRE(spec);
    CHECK_FALSE(spec->listen_host);
    CHECK(spec->listen_port == 8080);
    CHECK(spec->connect_host == "localhost");
    CHECK(spec->connect_port == 80);
    CHECK_FALSE(spec->is_dynamic());

    spec = parse(Kind::local, "127.0.0.2:8080:db.example:5432");
    REQUIRE(spec);
    CHECK(spec->listen_host == "127.0.0.2");
    CHECK(spec->connect_host == "db.example");
    CHECK(spec->connect_port == 5432);

    spec = parse(Kind::local, "[::1]:8080:[2001:db8::1]:22");
    REQUIRE(spec);
    CHECK(spec->listen_host == "::1");
    CHECK(spec->connect_host == "2001:db8::1");

    spec = parse(Kind::local, "*:8080:h:1");
    REQUIRE(spec);
    CHECK(spec->listen_host == "*");
    spec = parse(Kind::local, ":8080:h:1");
    REQUIRE(spec);
    CHECK(spec->listen_host == "");

    // Unix sockets on either side.
    spec = parse(Kind::local, "/tmp/l.sock:host:22");
    REQUIRE(spec);
    CHECK(spec->listen_path == "/tmp/l.sock");
    CHECK(spec->connect_host == "host");
    spec = parse(Kind::local, "8080:/run/app.sock");
    REQUIRE(spec);
    CHECK(spec->listen_port == 8080);
    CHECK(spec->connect_path == "/run/app.sock");
    spec = parse(Kind::local, "/a/b:/c/d");
    REQUIRE(spec);
    CHECK(spec->listen_path == "/a/b");
    CHECK(spec->connect_path == "/c/d");
    spec = parse(Kind::local, "127.0.0.1:8080:/run/app.sock");
    REQUIRE(spec);
    CHECK(spec->listen_host == "127.0.0.1");
    CHECK(spec->connect_path == "/run/app.sock");
}

TEST_CASE("malformed -L specifications", "[client][options][forward]")
{
    for (const char* bad :
         {"", "8080", "8080:host", "0:host:80", "65536:host:80", "8080:host:0", "8080:host:99999",
          "x:host:80", "8080:host:8o", "a:b:c:d:e", "[::1:8080:h:1", "[::1]x:8080:h:1", "8080::80",
          "8080:host:", "/a:host", "-1:h:2", "8080:h:+80"}) {
        INFO(bad);
        CHECK_FALSE(parse(Kind::local, bad));
    }
    CHECK(client::parse_command_line({"-L", "8080", "h"}).action == CommandAction::usage_error);
    CHECK(client::parse_command_line({"h", "-L"}).action == CommandAction::usage_error);
}

TEST_CASE("-R and -D specifications", "[client][options][forward]")
{
    auto spec = parse(Kind::remote, "0:localhost:22");
    REQUIRE(spec);
    CHECK(spec->listen_port == 0);
    CHECK(spec->connect_port == 22);
    // Reverse dynamic: only the listening side.
    spec = parse(Kind::remote, "1080");
    REQUIRE(spec);
    CHECK(spec->is_dynamic());
    CHECK(spec->listen_port == 1080);
    spec = parse(Kind::remote, "*:1080");
    REQUIRE(spec);
    CHECK(spec->is_dynamic());
    CHECK(spec->listen_host == "*");
    spec = parse(Kind::remote, "/tmp/r.sock:/tmp/l.sock");
    REQUIRE(spec);
    CHECK(spec->listen_path == "/tmp/r.sock");
    CHECK(spec->connect_path == "/tmp/l.sock");

    spec = parse(Kind::dynamic, "1080");
    REQUIRE(spec);
    CHECK(spec->is_dynamic());
    spec = parse(Kind::dynamic, "[::1]:1080");
    REQUIRE(spec);
    CHECK(spec->listen_host == "::1");
    for (const char* bad : {"0", "a", "1:2:3", "/tmp/s", "70000", ""}) {
        INFO(bad);
        CHECK_FALSE(parse(Kind::dynamic, bad));
    }
    for (const char* bad : {"/tmp/s", "x", "1:2:3:4:5", "8080:h:0"}) {
        INFO(bad);
        CHECK_FALSE(parse(Kind::remote, bad));
    }
}

TEST_CASE("forwarding options accumulate and resolve", "[client][options][forward]")
{
    auto s = settings_of({"-L", "1:h:2", "-R", "3:h:4", "-D", "5", "-o", "LocalForward 6 h:7", "-o",
                          "RemoteForward=8", "-o", "DynamicForward=[::1]:9", "-L", "1:h:2", "h"});
    REQUIRE(s.forwards.size() == 6);  // the repeated -L counts once
    CHECK(s.forwards[0].kind == Kind::local);
    CHECK(s.forwards[1].kind == Kind::remote);
    CHECK(s.forwards[2].kind == Kind::dynamic);
    CHECK(s.forwards[3].connect_port == 7);
    CHECK(s.forwards[4].is_dynamic());
    CHECK(s.forwards[5].listen_host == "::1");
    CHECK_FALSE(s.gateway_ports);
    CHECK_FALSE(s.exit_on_forward_failure);
    CHECK(s.server_alive_interval == 0);
    CHECK(s.server_alive_count_max == 3);
    CHECK_FALSE(s.no_session);
    CHECK_FALSE(s.fork_after_auth);

    s = settings_of({"-g", "-N", "-f", "-o", "ExitOnForwardFailure=yes", "-o",
                     "ServerAliveInterval=5", "-o", "ServerAliveCountMax 2", "h"});
    CHECK(s.gateway_ports);
    CHECK(s.no_session);
    CHECK(s.fork_after_auth);
    CHECK(s.stdin_null);  // -f implies -n
    CHECK(s.exit_on_forward_failure);
    CHECK(s.server_alive_interval == 5);
    CHECK(s.server_alive_count_max == 2);

    // The first value wins, as for every ssh_config(5) keyword.
    s = settings_of({"-o", "GatewayPorts=no", "-g", "h"});
    CHECK_FALSE(s.gateway_ports);

    s = settings_of({"-L", "1:h:2", "-o", "ClearAllForwardings=yes", "h"});
    CHECK(s.forwards.empty());
    CHECK(s.clear_all_forwardings);

    for (const char* bad : {"LocalForward=8080", "LocalForward 1 h:2 x", "RemoteForward=x",
                            "DynamicForward=1 2", "GatewayPorts=maybe", "ServerAliveInterval=-1",
                            "ServerAliveCountMax=x", "ExitOnForwardFailure=1"}) {
        INFO(bad);
        CHECK(client::parse_command_line({"-o", bad, "h"}).action == CommandAction::usage_error);
    }
}

TEST_CASE("burrow -G prints the forwardings as ssh -G", "[client][options][forward]")
{
    const auto parsed =
        client::parse_command_line({"-L", "8080:localhost:80", "-L", "127.0.0.1:8081:[::1]:81",
                                    "-L", "/tmp/a:/tmp/b", "-R", "0:h:22", "-R", "*:7001", "-D",
                                    "[::1]:1081", "-g", "-N", "-o", "ServerAliveInterval=5", "x"});
    REQUIRE(parsed.action == CommandAction::run);
    const auto s = client::resolve_settings(parsed.config, "/home/me", "me");
    const std::string dump = client::dump_config(parsed.config, s);
    for (const char* line :
         {"localforward 8080 [localhost]:80\n", "localforward [127.0.0.1]:8081 [::1]:81\n",
          "localforward /tmp/a /tmp/b\n", "remoteforward 0 [h]:22\n",
          "remoteforward [*]:7001 [socks]:0\n", "dynamicforward [::1]:1081\n", "gatewayports yes\n",
          "sessiontype none\n", "serveraliveinterval 5\n", "serveralivecountmax 3\n",
          "exitonforwardfailure no\n", "clearallforwardings no\n"}) {
        INFO(line);
        CHECK(dump.find(line) != std::string::npos);
    }
}
