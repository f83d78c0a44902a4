#include "server/forwarding_policy.h"

#include <catch2/catch.hpp>

#include "server/config.h"

namespace burrow::server {
namespace {

ServerConfig parse(const std::vector<std::string>& lines)
{
    ConfigParser parser;
    std::string text;
    for (const std::string& line : lines) {
        text += line + "\n";
    }
    parser.apply_file_text(text, "test");
    return resolve_config(Options{}, parser.raw());
}

}  // namespace

TEST_CASE("forwarding keywords: defaults, first value wins, bad values", "[forwarding]")
{
    const ServerConfig defaults = parse({});
    CHECK(defaults.forwarding.gateway_ports == GatewayPorts::no);
    CHECK(defaults.forwarding.tcp == ForwardScope::all);
    CHECK(defaults.forwarding.permit_open.any);
    CHECK(defaults.forwarding.stream_local_bind_mask == 0177);
    CHECK(defaults.forwarding.client_alive_interval.count() == 0);
    CHECK(defaults.forwarding.client_alive_count_max == 3);
    const ServerConfig c =
        parse({"GatewayPorts clientspecified", "GatewayPorts yes", "AllowTcpForwarding local",
               "PermitOpen a:1 [::1]:2 *:*", "PermitListen none", "StreamLocalBindMask 0022",
               "ClientAliveInterval 1m", "ClientAliveCountMax 0"});
    CHECK(c.forwarding.gateway_ports == GatewayPorts::clientspecified);
    CHECK(c.forwarding.tcp == ForwardScope::local);
    REQUIRE(c.forwarding.permit_open.entries.size() == 3);
    CHECK(c.forwarding.permit_open.entries[1] == PermitEntry{"::1", 2});
    CHECK(c.forwarding.permit_open.entries[2] == PermitEntry{"*", std::nullopt});
    CHECK_FALSE(c.forwarding.permit_listen.any);
    CHECK(c.forwarding.permit_listen.entries.empty());
    CHECK(c.forwarding.stream_local_bind_mask == 022);
    CHECK(c.forwarding.client_alive_interval == std::chrono::seconds(60));
    CHECK(c.forwarding.client_alive_count_max == 0);
    CHECK_THROWS_AS(parse({"GatewayPorts maybe"}), ConfigError);
    CHECK_THROWS_AS(parse({"AllowTcpForwarding sometimes"}), ConfigError);
    CHECK_THROWS_AS(parse({"PermitOpen host"}), ConfigError);
    CHECK_THROWS_AS(parse({"StreamLocalBindMask 999"}), ConfigError);
}

TEST_CASE("GatewayPorts bind choice follows sshd_config(5)", "[forwarding]")
{
    for (const char* asked : {"", "*", "localhost", "127.0.0.2"}) {
        CHECK(choose_bind(GatewayPorts::no, asked).kind == BindKind::loopback);
        CHECK(choose_bind(GatewayPorts::yes, asked).kind == BindKind::wildcard);
    }
    CHECK(choose_bind(GatewayPorts::no, "127.0.0.1").kind == BindKind::address);
    CHECK(choose_bind(GatewayPorts::no, "::1").address == "::1");
    CHECK(choose_bind(GatewayPorts::yes, "127.0.0.1").kind == BindKind::wildcard);
    CHECK(choose_bind(GatewayPorts::clientspecified, "").kind == BindKind::wildcard);
    CHECK(choose_bind(GatewayPorts::clientspecified, "*").kind == BindKind::wildcard);
    CHECK(choose_bind(GatewayPorts::clientspecified, "LocalHost").kind == BindKind::loopback);
    const BindChoice a = choose_bind(GatewayPorts::clientspecified, "127.0.0.2");
    CHECK(a.kind == BindKind::address);
    CHECK(a.address == "127.0.0.2");
}

TEST_CASE("forwarding policy: configuration and key options, most restrictive wins", "[forwarding]")
{
    ForwardingSettings s;
    const ForwardingPolicy open_all(s, true, {}, {}, 1000);
    CHECK(open_all.check_open("db", 5432).empty());
    CHECK(open_all.check_listen("localhost", 8080).empty());
    CHECK(open_all.check_listen("localhost", 0).empty());
    CHECK(open_all.check_listen("localhost", 80) == "privileged port");
    const ForwardingPolicy root(s, true, {}, {}, 0);
    CHECK(root.check_listen("", 80).empty());
    CHECK(ForwardingPolicy(s, false, {}, {}, 0).check_open("db", 1) ==
          "no-port-forwarding key option");

    s.tcp = ForwardScope::local;
    CHECK(ForwardingPolicy(s, true, {}, {}, 0).check_open("db", 1).empty());
    CHECK(ForwardingPolicy(s, true, {}, {}, 0).check_listen("", 1) == "AllowTcpForwarding");
    s.tcp = ForwardScope::remote;
    CHECK(ForwardingPolicy(s, true, {}, {}, 0).check_open("db", 1) == "AllowTcpForwarding");
    s.tcp = ForwardScope::all;

    s.permit_open = *parse_permit_list({"db:5432", "*:80"}, false);
    const ForwardingPolicy po(s, true, {"DB:5432"}, {}, 0);
    CHECK(po.check_open("db", 5432).empty());  // names compare case-insensitively
    CHECK(po.check_open("web", 80) == "permitopen key option");
    CHECK(po.check_open("db", 5433) == "PermitOpen");
    CHECK(ForwardingPolicy(s, true, {"garbage"}, {}, 0).check_open("db", 5432) ==
          "permitopen key option");

    s.permit_listen = *parse_permit_list({"localhost:*", "8080"}, true);
    const ForwardingPolicy pl(s, true, {}, {"*:8080"}, 0);
    CHECK(pl.check_listen("0.0.0.0", 8080).empty());
    CHECK(pl.check_listen("localhost", 9000) == "permitlisten key option");
    CHECK(pl.check_listen("127.0.0.1", 9000) == "PermitListen");
    s.permit_listen = *parse_permit_list({"none"}, true);
    CHECK(ForwardingPolicy(s, true, {}, {}, 0).check_listen("localhost", 1) == "PermitListen");

    s.disable_forwarding = true;
    CHECK(ForwardingPolicy(s, true, {}, {}, 0).check_streamlocal_open() == "DisableForwarding");
    s.disable_forwarding = false;
    s.stream_local = ForwardScope::remote;
    CHECK(ForwardingPolicy(s, true, {}, {}, 0).check_streamlocal_open() ==
          "AllowStreamLocalForwarding");
    CHECK(ForwardingPolicy(s, true, {}, {}, 0).check_streamlocal_listen().empty());
}

TEST_CASE("simple patterns", "[forwarding]")
{
    CHECK(match_simple_pattern("*", ""));
    CHECK(match_simple_pattern("127.0.0.*", "127.0.0.9"));
    CHECK(match_simple_pattern("h?st", "HOST"));
    CHECK_FALSE(match_simple_pattern("a*b", "acbc"));
    CHECK(match_simple_pattern("a*b*", "axxbyy"));
}

}  // namespace burrow::server
