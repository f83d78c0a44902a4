// burrow command line and -o parsing: ssh(1) argument order, first value
// wins, user@host versus -l, -p versus Port, defaults and cipher lists.
#include <catch2/catch.hpp>

#include "client/options.h"

namespace client = burrow::client;
using client::CommandAction;

namespace {

client::ParseResult parse(std::vector<std::string> args)
{
    return client::parse_command_line(args);
}

client::Settings settings_of(std::vector<std::string> args)
{
    const auto parsed = parse(std::move(args));
    REQUIRE(parsed.action == CommandAction::run);
    return client::resolve_settings(parsed.config, "/home/me", "me");
}

}  // namespace

TEST_CASE("destination, user and command", "[client][options]")
{
    const auto s = settings_of({"alice@Host.Example", "ls", "-l", "/tmp"});
    CHECK(s.user == "alice");
    CHECK(s.host == "host.example");
    CHECK(s.port == 22);
    REQUIRE(s.command);
    CHECK(*s.command == "ls -l /tmp");

    const auto shell = settings_of({"host"});
    CHECK_FALSE(shell.command);
    CHECK(shell.user == "me");
    // The last '@' separates the user (user names may contain '@').
    CHECK(settings_of({"a@b@host"}).user == "a@b");
}

TEST_CASE("-l versus user@: the first obtained wins", "[client][options]")
{
    CHECK(settings_of({"-l", "bob", "alice@host"}).user == "bob");
    CHECK(settings_of({"alice@host", "-l", "bob"}).user == "alice");
    CHECK(settings_of({"-lbob", "host"}).user == "bob");
    CHECK(settings_of({"-o", "User=carol", "-l", "bob", "host"}).user == "carol");
}

TEST_CASE("-p versus Port: the first obtained wins", "[client][options]")
{
    CHECK(settings_of({"-p", "2222", "-o", "Port=22", "host"}).port == 2222);
    CHECK(settings_of({"-o", "Port=2200", "-p", "2222", "host"}).port == 2200);
    CHECK(settings_of({"-p2201", "host"}).port == 2201);
    CHECK(settings_of({"host", "-p", "2202", "cmd"}).port == 2202);  // options after host
    const auto bad = parse({"-p", "0", "host"});
    CHECK(bad.action == CommandAction::usage_error);
    CHECK(parse({"-p", "70000", "host"}).action == CommandAction::usage_error);
    CHECK(parse({"-p", "22x", "host"}).action == CommandAction::usage_error);
}

TEST_CASE("-o forms, case-insensitive keywords, first value wins", "[client][options]")
{
    const auto s = settings_of({"-o", "stricthostkeychecking=no", "-o", "StrictHostKeyChecking yes",
                                "-o", "BATCHMODE = yes", "-o", "UserKnownHostsFile=~/kh1 /abs/kh2",
                                "-o", "UserKnownHostsFile=/ignored", "host"});
    CHECK(s.strict_host_key_checking == client::StrictHostKeyChecking::no);
    CHECK(s.batch_mode);
    CHECK(s.user_known_hosts_files == std::vector<std::string>{"/home/me/kh1", "/abs/kh2"});

    CHECK(settings_of({"-o", "StrictHostKeyChecking=accept-new", "h"}).strict_host_key_checking ==
          client::StrictHostKeyChecking::accept_new);
    CHECK(settings_of({"-o", "StrictHostKeyChecking=off", "h"}).strict_host_key_checking ==
          client::StrictHostKeyChecking::no);
    CHECK(settings_of({"h"}).strict_host_key_checking == client::StrictHostKeyChecking::ask);
    CHECK(settings_of({"-o", "UserKnownHostsFile=none", "h"}).user_known_hosts_files.empty());
}

TEST_CASE("identity files accumulate; defaults only when none given", "[client][options]")
{
    const auto s = settings_of({"-i", "~/k1", "-o", "IdentityFile=/k2", "-i", "k3", "host"});
    CHECK(s.identity_files == std::vector<std::string>{"/home/me/k1", "/k2", "k3"});
    const auto d = settings_of({"host"});
    REQUIRE_FALSE(d.identity_files.empty());
    CHECK(d.identity_files.back() == "/home/me/.ssh/id_ed25519");
}

TEST_CASE("log level from -v, -q and LogLevel", "[client][options]")
{
    CHECK(settings_of({"h"}).log_level == client::LogLevel::info);
    CHECK(settings_of({"-v", "h"}).log_level == client::LogLevel::debug1);
    CHECK(settings_of({"-vv", "h"}).log_level == client::LogLevel::debug2);
    CHECK(settings_of({"-vvvvv", "h"}).log_level == client::LogLevel::debug3);
    CHECK(settings_of({"-q", "h"}).log_level == client::LogLevel::quiet);
    CHECK(settings_of({"-o", "LogLevel=ERROR", "h"}).log_level == client::LogLevel::error);
    CHECK(settings_of({"-o", "LogLevel=debug", "h"}).log_level == client::LogLevel::debug1);
}

TEST_CASE("usage errors, help and version", "[client][options]")
{
    CHECK(parse({}).action == CommandAction::usage_error);
    CHECK(parse({"-Z", "host"}).action == CommandAction::usage_error);
    CHECK(parse({"host", "-p"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "NoSuchOption=1", "host"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "BatchMode=maybe", "host"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "Port", "host"}).action == CommandAction::usage_error);
    CHECK(parse({"@host"}).action == CommandAction::usage_error);
    CHECK(parse({"-h"}).action == CommandAction::help);
    CHECK(parse({"--help"}).action == CommandAction::help);
    CHECK(parse({"-V"}).action == CommandAction::version);
    // Ignored-but-known keywords are accepted and listed.
    const auto ok = parse({"-o", "ConnectTimeout=5", "host"});
    CHECK(ok.action == CommandAction::run);
    CHECK(ok.config.ignored_options == std::vector<std::string>{"ConnectTimeout"});
}

TEST_CASE("-- ends options; the command keeps its dashes", "[client][options]")
{
    const auto s = settings_of({"-v", "--", "host", "-p", "1"});
    CHECK(s.port == 22);
    REQUIRE(s.command);
    CHECK(*s.command == "-p 1");
}

TEST_CASE("cipher list specs", "[client][options]")
{
    const std::vector<std::string> defaults = {"a", "b", "c"};
    const std::vector<std::string> supported = {"a", "b", "c", "d"};
    std::string error;
    using V = std::vector<std::string>;
    CHECK(*client::resolve_algorithm_list("", defaults, supported, error) == defaults);
    CHECK(*client::resolve_algorithm_list("c,a", defaults, supported, error) == V{"c", "a"});
    CHECK(*client::resolve_algorithm_list("+d", defaults, supported, error) ==
          V{"a", "b", "c", "d"});
    CHECK(*client::resolve_algorithm_list("-b", defaults, supported, error) == V{"a", "c"});
    CHECK(*client::resolve_algorithm_list("-*", defaults, supported, error) == V{});
    CHECK(*client::resolve_algorithm_list("^c", defaults, supported, error) == V{"c", "a", "b"});
    CHECK_FALSE(client::resolve_algorithm_list("a,zzz", defaults, supported, error));
    CHECK(error.find("zzz") != std::string::npos);
}
