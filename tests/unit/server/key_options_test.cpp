#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "server/authorized_keys.h"
#include "server/key_options.h"

namespace {

using burrow::server::KeyOptions;

KeyOptions parse_ok(std::string_view list)
{
    std::string error;
    const std::optional<KeyOptions> options = burrow::server::parse_key_options(list, error);
    INFO(error);
    REQUIRE(options);
    return *options;
}

std::string parse_error(std::string_view list)
{
    std::string error;
    REQUIRE_FALSE(burrow::server::parse_key_options(list, error));
    return error;
}

}  // namespace

TEST_CASE("key options: defaults allow everything", "[key_options]")
{
    const KeyOptions o = parse_ok("");
    REQUIRE(o.agent_forwarding);
    REQUIRE(o.port_forwarding);
    REQUIRE(o.pty);
    REQUIRE(o.user_rc);
    REQUIRE(o.x11_forwarding);
    REQUIRE_FALSE(o.cert_authority);
    REQUIRE_FALSE(o.command);
    REQUIRE_FALSE(o.from);
    REQUIRE_FALSE(o.expiry_time);
}

TEST_CASE("key options: every flag", "[key_options]")
{
    const KeyOptions off = parse_ok(
        "no-agent-forwarding,no-port-forwarding,no-pty,no-user-rc,"
        "no-X11-forwarding,cert-authority,no-touch-required,"
        "verify-required");
    REQUIRE_FALSE(off.agent_forwarding);
    REQUIRE_FALSE(off.port_forwarding);
    REQUIRE_FALSE(off.pty);
    REQUIRE_FALSE(off.user_rc);
    REQUIRE_FALSE(off.x11_forwarding);
    REQUIRE(off.cert_authority);
    REQUIRE(off.no_touch_required);
    REQUIRE(off.verify_required);

    const KeyOptions restricted = parse_ok("restrict");
    REQUIRE_FALSE(restricted.agent_forwarding);
    REQUIRE_FALSE(restricted.port_forwarding);
    REQUIRE_FALSE(restricted.pty);
    REQUIRE_FALSE(restricted.user_rc);
    REQUIRE_FALSE(restricted.x11_forwarding);

    // restrict, then re-enable single capabilities.
    const KeyOptions some =
        parse_ok("restrict,pty,agent-forwarding,port-forwarding,user-rc,x11-forwarding");
    REQUIRE(some.pty);
    REQUIRE(some.agent_forwarding);
    REQUIRE(some.port_forwarding);
    REQUIRE(some.user_rc);
    REQUIRE(some.x11_forwarding);
    // Option names are case-insensitive.
    REQUIRE_FALSE(parse_ok("NO-PTY").pty);
}

TEST_CASE("key options: valued options, quotes and escapes", "[key_options]")
{
    const KeyOptions o =
        parse_ok(R"(command="echo \"hi there\", \n",environment="A=1",environment="B=x y",)"
                 R"(from="*.example.com,!10.0.0.1,192.168.0.0/16",permitopen="localhost:80",)"
                 R"(permitopen="[::1]:*",permitlisten="8080",permitlisten="localhost:9000",)"
                 R"(principals="alice,bob",expiry-time="20300101Z")");
    REQUIRE(o.command == R"(echo "hi there", \n)");
    REQUIRE(o.environment == std::vector<std::string>{"A=1", "B=x y"});
    REQUIRE(o.from == "*.example.com,!10.0.0.1,192.168.0.0/16");
    REQUIRE(o.permit_open == std::vector<std::string>{"localhost:80", "[::1]:*"});
    REQUIRE(o.permit_listen == std::vector<std::string>{"8080", "localhost:9000"});
    REQUIRE(o.principals == "alice,bob");
    REQUIRE(o.expiry_time == 1893456000);
}

TEST_CASE("key options: malformed lists are refused with a reason", "[key_options]")
{
    REQUIRE(parse_error("no-such-option") == "unknown option \"no-such-option\"");
    REQUIRE(parse_error("command=\"abc").find("unterminated quote") != std::string::npos);
    REQUIRE(parse_error("command=abc").find("double-quoted") != std::string::npos);
    REQUIRE(parse_error("no-pty,") == "trailing comma");
    REQUIRE(parse_error(",no-pty") == "empty option");
    REQUIRE(parse_error("command=\"a\"x") == "garbage after option \"command\"");
    REQUIRE(parse_error("command=\"a\",command=\"b\"") == "more than one command option");
    REQUIRE(parse_error("environment=\"NOEQUALS\"").find("NAME=value") != std::string::npos);
    REQUIRE(parse_error("environment=\"=x\"").find("NAME=value") != std::string::npos);
    REQUIRE(parse_error("permitopen=\"nohost\"").find("permitopen") != std::string::npos);
    REQUIRE(parse_error("permitopen=\"h:99999\"").find("permitopen") != std::string::npos);
    REQUIRE(parse_error("permitlisten=\"x\"").find("permitlisten") != std::string::npos);
    REQUIRE(parse_error("expiry-time=\"2030\"").find("expiry-time") != std::string::npos);
    REQUIRE(parse_error("expiry-time=\"20301301\"").find("expiry-time") != std::string::npos);
    REQUIRE(parse_error("no-pty=\"x\"") == "unknown option \"no-pty\"");
}

TEST_CASE("key options: option list length honours quotes", "[key_options]")
{
    REQUIRE(burrow::server::option_list_length("no-pty ssh-ed25519 AAA") == 6);
    REQUIRE(burrow::server::option_list_length(R"(command="a b \" c" ssh-ed25519)") == 18);
    REQUIRE_FALSE(burrow::server::option_list_length(R"(command="a b ssh-ed25519)"));
}

TEST_CASE("key options: expiry-time formats", "[key_options]")
{
    using burrow::server::parse_expiry_time;
    REQUIRE(parse_expiry_time("19700101Z") == 0);
    REQUIRE(parse_expiry_time("197001010001Z") == 60);
    REQUIRE(parse_expiry_time("19700101000102Z") == 62);
    // Without Z it is local time: same as the UTC value shifted by the zone.
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    REQUIRE(parse_expiry_time("20300101") == 1893456000);
    REQUIRE_FALSE(parse_expiry_time("2030010"));
    REQUIRE_FALSE(parse_expiry_time("2030-1-01"));
    REQUIRE_FALSE(parse_expiry_time("20300101Y"));
    REQUIRE_FALSE(parse_expiry_time("203001012460"));
}

TEST_CASE("from= patterns: wildcards, negation, CIDR", "[key_options]")
{
    using burrow::server::match_source_list;
    using burrow::server::match_source_pattern;
    REQUIRE(match_source_pattern("127.0.0.1", "127.0.0.1", ""));
    REQUIRE_FALSE(match_source_pattern("127.0.0.2", "127.0.0.1", ""));
    REQUIRE(match_source_pattern("127.0.0.*", "127.0.0.9", ""));
    REQUIRE(match_source_pattern("10.?.0.1", "10.3.0.1", ""));
    REQUIRE_FALSE(match_source_pattern("10.?.0.1", "10.33.0.1", ""));
    REQUIRE(match_source_pattern("*.Example.com", "1.2.3.4", "host.example.COM"));
    REQUIRE(match_source_pattern("*", "::1", ""));
    // CIDR, IPv4.
    REQUIRE(match_source_pattern("192.168.0.0/16", "192.168.44.1", ""));
    REQUIRE_FALSE(match_source_pattern("192.168.0.0/16", "192.169.0.1", ""));
    REQUIRE(match_source_pattern("127.0.0.2/32", "127.0.0.2", ""));
    REQUIRE_FALSE(match_source_pattern("127.0.0.2/32", "127.0.0.1", ""));
    REQUIRE(match_source_pattern("0.0.0.0/0", "8.8.8.8", ""));
    REQUIRE(match_source_pattern("10.0.0.0/8", "::ffff:10.1.2.3", ""));  // v4-mapped
    REQUIRE_FALSE(match_source_pattern("10.0.0.0/33", "10.0.0.1", ""));
    REQUIRE_FALSE(match_source_pattern("10.0.0.0/x", "10.0.0.1", ""));
    // CIDR, IPv6.
    REQUIRE(match_source_pattern("2001:db8::/32", "2001:db8:1::5", ""));
    REQUIRE_FALSE(match_source_pattern("2001:db8::/32", "2001:db9::5", ""));
    REQUIRE(match_source_pattern("::1/128", "::1", ""));
    REQUIRE(match_source_pattern("fe80::/10", "febf::1", ""));
    REQUIRE_FALSE(match_source_pattern("fe80::/10", "fec0::1", ""));
    REQUIRE_FALSE(match_source_pattern("::/0", "10.0.0.1", ""));  // families differ
    // Lists: a negated match refuses even when a positive one matches.
    REQUIRE(match_source_list("10.0.0.0/8,127.0.0.1", "127.0.0.1", ""));
    REQUIRE_FALSE(match_source_list("127.0.0.0/8,!127.0.0.1", "127.0.0.1", ""));
    REQUIRE(match_source_list("127.0.0.0/8,!127.0.0.1", "127.0.0.5", ""));
    REQUIRE_FALSE(match_source_list("!127.0.0.1", "127.0.0.5", ""));  // nothing positive
    REQUIRE_FALSE(match_source_list("", "127.0.0.1", ""));
}

TEST_CASE("key options: refuse_reason checks from= and expiry-time", "[key_options]")
{
    KeyOptions o;
    REQUIRE(burrow::server::refuse_reason(o, "127.0.0.1", 1000).empty());
    o.expiry_time = 999;
    REQUIRE(burrow::server::refuse_reason(o, "127.0.0.1", 1000) == "key expired");
    o.expiry_time = 1000;
    REQUIRE(burrow::server::refuse_reason(o, "127.0.0.1", 1000).empty());
    o.from = "127.0.0.2";
    REQUIRE(burrow::server::refuse_reason(o, "127.0.0.1", 1000).find("not permitted") !=
            std::string::npos);
    REQUIRE(burrow::server::refuse_reason(o, "127.0.0.2", 1000).empty());
    // UseDNS yes: from= host name patterns match the verified peer name.
    o.from = "*.example.org";
    REQUIRE(!burrow::server::refuse_reason(o, "192.0.2.1", 1000).empty());
    REQUIRE(burrow::server::refuse_reason(o, "192.0.2.1", 1000, "vps.example.org").empty());
}

TEST_CASE("key options: command= and environment= applied to a session", "[key_options]")
{
    KeyOptions o;
    o.command = "/bin/forced";
    o.environment = {"HOME=/elsewhere", "EXTRA=1"};
    std::vector<std::string> env{"HOME=/home/u", "USER=u"};
    std::optional<std::string> command = "ls -l";
    burrow::server::apply_session_options(o, false, env, command);
    REQUIRE(command == "/bin/forced");
    REQUIRE(env ==
            std::vector<std::string>{"HOME=/home/u", "USER=u", "SSH_ORIGINAL_COMMAND=ls -l"});

    env = {"HOME=/home/u", "USER=u"};
    command.reset();
    burrow::server::apply_session_options(o, true, env, command);
    REQUIRE(command == "/bin/forced");
    REQUIRE(env == std::vector<std::string>{"USER=u", "HOME=/elsewhere", "EXTRA=1"});

    const KeyOptions none;
    env = {"A=1"};
    command = "x";
    burrow::server::apply_session_options(none, true, env, command);
    REQUIRE(command == "x");
    REQUIRE(env == std::vector<std::string>{"A=1"});
}

TEST_CASE("StrictModes: group/other-writable files and directories are refused",
          "[key_options][strict_modes]")
{
    std::string base = "/tmp/burrow-strict-XXXXXX";
    REQUIRE(::mkdtemp(base.data()) != nullptr);
    const std::string home = base + "/home";
    const std::string ssh = home + "/.ssh";
    const std::string file = ssh + "/authorized_keys";
    REQUIRE(::mkdir(home.c_str(), 0755) == 0);
    REQUIRE(::mkdir(ssh.c_str(), 0700) == 0);
    std::ofstream(file) << "\n";
    burrow::server::UserInfo user;
    user.uid = ::geteuid();
    user.gid = ::getegid();
    user.home = home;

    REQUIRE(::chmod(file.c_str(), 0600) == 0);
    REQUIRE(burrow::server::strict_modes_problem(file, user).empty());
    REQUIRE(::chmod(file.c_str(), 0620) == 0);
    REQUIRE(burrow::server::strict_modes_problem(file, user) ==
            "bad ownership or modes for file " + file);
    REQUIRE(::chmod(file.c_str(), 0602) == 0);
    REQUIRE_FALSE(burrow::server::strict_modes_problem(file, user).empty());
    REQUIRE(::chmod(file.c_str(), 0644) == 0);
    REQUIRE(::chmod(ssh.c_str(), 0770) == 0);
    REQUIRE(burrow::server::strict_modes_problem(file, user) ==
            "bad ownership or modes for directory " + ssh);
    REQUIRE(::chmod(ssh.c_str(), 0700) == 0);
    REQUIRE(::chmod(home.c_str(), 0777) == 0);
    REQUIRE(burrow::server::strict_modes_problem(file, user) ==
            "bad ownership or modes for directory " + home);
    // Above the home directory nothing is checked: base is not inspected.
    REQUIRE(::chmod(home.c_str(), 0755) == 0);
    REQUIRE(::chmod(base.c_str(), 0777) == 0);
    REQUIRE(burrow::server::strict_modes_problem(file, user).empty());
    // A file outside home: every directory up to / (the sticky /tmp passes).
    user.home = "/nonexistent";
    REQUIRE(burrow::server::strict_modes_problem(file, user) ==
            "bad ownership or modes for directory " + base);
    REQUIRE(::chmod(base.c_str(), 0700) == 0);
    REQUIRE(burrow::server::strict_modes_problem(file, user).empty());
    // Owned by someone else (only testable as root).
    if (::geteuid() == 0) {
        REQUIRE(::chown(file.c_str(), 12345, 12345) == 0);
        REQUIRE_FALSE(burrow::server::strict_modes_problem(file, user).empty());
    }
    // A missing file is not a StrictModes problem.
    REQUIRE(burrow::server::strict_modes_problem(ssh + "/nope", user).empty());
    std::filesystem::remove_all(base);
}
