// ssh_config(5) files: Host / Match blocks, Include, first value wins,
// comments and quoting, error messages with file and line, token expansion.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "client/config_dump.h"
#include "client/pattern.h"
#include "client/ssh_config.h"
#include "test_util.h"

namespace client = burrow::client;
namespace test = burrow::client::test;

namespace {

/// Parse `args`, read `text` as the -F file, return the config (or fail).
struct Loaded {
    client::ClientConfig config;
    std::optional<std::string> error;
};

Loaded load(const test::TempDir& dir, const std::string& text, std::vector<std::string> args)
{
    const std::string path = dir.file("config");
    test::write_file(path, text);
    const client::ParseResult parsed = client::parse_command_line(args);
    REQUIRE(parsed.action == client::CommandAction::run);
    Loaded loaded{parsed.config, std::nullopt};
    loaded.error = client::load_config_files(
        loaded.config, client::explicit_config_files(path, dir.path()), dir.path(), "me");
    return loaded;
}

client::Settings settings(const test::TempDir& dir, const std::string& text,
                          std::vector<std::string> args)
{
    const Loaded loaded = load(dir, text, std::move(args));
    INFO(loaded.error.value_or(""));
    REQUIRE_FALSE(loaded.error);
    return client::resolve_settings(loaded.config, dir.path(), "me");
}

std::string error_of(const test::TempDir& dir, const std::string& text)
{
    const Loaded loaded = load(dir, text, {"host"});
    REQUIRE(loaded.error);
    return *loaded.error;
}

}  // namespace

TEST_CASE("Host blocks: patterns, negation, first value wins", "[client][config]")
{
    const test::TempDir dir;
    const std::string text =
        "# comment\n"
        "\n"
        "Host web? \"db*\" !db-old\n"
        "  User=alice   # trailing comment\n"
        "  Port 2200\n"
        "Host *.example.com,!secret.example.com\n"
        "  User bob\n"
        "  HostName \"real-%h\"\n"
        "Host *\n"
        "  User carol\n"
        "  Port = 22\n";
    CHECK(settings(dir, text, {"web1"}).user == "alice");
    CHECK(settings(dir, text, {"web1"}).port == 2200);
    CHECK(settings(dir, text, {"web12"}).user == "carol");
    CHECK(settings(dir, text, {"db-new"}).user == "alice");
    CHECK(settings(dir, text, {"db-old"}).user == "carol");
    const auto a = settings(dir, text, {"a.example.com"});
    CHECK(a.user == "bob");
    CHECK(a.connect_host == "real-a.example.com");
    CHECK(settings(dir, text, {"secret.example.com"}).user == "carol");
    // The command line was read first: it wins over every file.
    CHECK(settings(dir, text, {"-l", "root", "-p", "99", "web1"}).user == "root");
    CHECK(settings(dir, text, {"-o", "Port=99", "web1"}).port == 99);
}

TEST_CASE("Match criteria", "[client][config]")
{
    const test::TempDir dir;
    const std::string text =
        "Host short\n"
        "  HostName long.example.net\n"
        "Match host *.example.net !originalhost direct\n"
        "  User net\n"
        "Match originalhost direct\n"
        "  HostName long.example.net\n"
        "Match user admin\n"
        "  Port 2201\n"
        "Match localuser me exec \"test %n = execme\"\n"
        "  Port 2202\n"
        "Match !localuser me\n"
        "  Port 2203\n"
        "Match all\n"
        "  User fallback\n";
    CHECK(settings(dir, text, {"short"}).user == "net");
    CHECK(settings(dir, text, {"direct"}).user == "fallback");
    CHECK(settings(dir, text, {"direct"}).connect_host == "long.example.net");
    CHECK(settings(dir, text, {"admin@x"}).port == 2201);
    CHECK(settings(dir, text, {"execme"}).port == 2202);
    CHECK(settings(dir, text, {"other"}).port == 22);
}

TEST_CASE("Match final reads the files again after HostName", "[client][config]")
{
    const test::TempDir dir;
    const std::string text =
        "Match final host *.internal\n"
        "  User late\n"
        "Match canonical\n"
        "  Port 2222\n"
        "Host alias\n"
        "  HostName box.internal\n"
        "  IdentityFile ~/id_%h\n"
        "  SendEnv FIRST\n"
        "Host box.internal\n"
        "  SendEnv FINAL\n";
    const auto s = settings(dir, text, {"alias"});
    CHECK(s.user == "late");
    // In the final pass Host compares the name HostName gave (as ssh does).
    CHECK(s.send_env == std::vector<std::string>{"FIRST", "FINAL"});
    CHECK(s.port == 2222);
    REQUIRE(s.identity_files.size() == 1);  // not twice: the final pass adds nothing new
    CHECK(s.identity_files[0] == dir.path() + "/id_box.internal");
    // Without "final" anywhere there is no second pass: canonical never matches.
    CHECK(settings(dir, "Match canonical\n  Port 2222\n", {"alias"}).port == 22);
}

TEST_CASE("Include: globs, relative paths, inactive blocks", "[client][config]")
{
    const test::TempDir dir;
    std::filesystem::create_directories(dir.file(".ssh/conf.d"));
    test::write_file(dir.file(".ssh/conf.d/10-a.conf"), "Host a\n  User from-a\n");
    test::write_file(dir.file(".ssh/conf.d/20-b.conf"),
                     "Host b\n  User from-b\nHost *\n  Port 2000\n");
    test::write_file(dir.file("abs.conf"), "User from-abs\n");
    const std::string text =
        "Include conf.d/*.conf\n"
        "Host c\n"
        "  Include " +
        dir.file("abs.conf") +
        "\n"
        "Host d\n"
        "  Include ~/.ssh/conf.d/20-b.conf\n"
        "Host *\n"
        "  User last\n";
    CHECK(settings(dir, text, {"a"}).user == "from-a");
    CHECK(settings(dir, text, {"a"}).port == 2000);
    CHECK(settings(dir, text, {"b"}).user == "from-b");
    CHECK(settings(dir, text, {"c"}).user == "from-abs");
    CHECK(settings(dir, text, {"x"}).user == "last");
    // An Include inside a block that does not apply cannot activate anything.
    const std::string inactive = "Host nothing\n  Include ~/.ssh/conf.d/20-b.conf\n";
    CHECK(settings(dir, inactive, {"b"}).user == "me");
    CHECK(settings(dir, inactive, {"b"}).port == 22);
    CHECK(settings(dir, "Include no-such-*.conf\nUser u\n", {"h"}).user == "u");
}

TEST_CASE("Include nesting is bounded", "[client][config]")
{
    const test::TempDir dir;
    test::write_file(dir.file("loop.conf"), "Include " + dir.file("loop.conf") + "\n");
    const std::string error = error_of(dir, "Include " + dir.file("loop.conf") + "\n");
    CHECK_THAT(error, Catch::Contains("Too many recursive configuration includes"));
}

TEST_CASE("malformed files are refused with file and line", "[client][config]")
{
    const test::TempDir dir;
    const std::string config = dir.file("config");
    CHECK(error_of(dir, "Host x\n  Bogus yes\n") ==
          config + " line 2: Bad configuration option: Bogus");
    // Checked even in a block that does not apply, as ssh does.
    CHECK(error_of(dir, "Host other\n\n  Port abc\n") == config + " line 3: Bad port 'abc'");
    CHECK(error_of(dir, "Port \"22\n") == config + " line 1: invalid quotes");
    CHECK(error_of(dir, "Match\n") == config + " line 1: no argument after keyword \"Match\"");
    CHECK(error_of(dir, "Match user\n") == config + " line 1: Missing Match criteria for user");
    CHECK(error_of(dir, "Match foo x\n") == config + " line 1: Unsupported Match attribute foo");
    CHECK(error_of(dir, "Match all host x\n").find("Match all") != std::string::npos);
    CHECK(error_of(dir, "IdentityFile ~/%z\n").find("unknown token %z") != std::string::npos);
    CHECK(error_of(dir, "RequestTTY sometimes\n").find("RequestTTY") != std::string::npos);
    // IgnoreUnknown, and keywords ssh has but burrow does not use.
    CHECK(settings(dir, "IgnoreUnknown Bog*,Other\nBogus 1\nGSSAPIAuthentication yes\n", {"h"})
              .user == "me");
}

TEST_CASE("-F none, a missing -F file, and the default file choice", "[client][config]")
{
    const test::TempDir dir;
    CHECK(client::explicit_config_files("none", dir.path()).empty());
    client::ClientConfig config;
    config.host = "h";
    const auto error = client::load_config_files(
        config, client::explicit_config_files(dir.file("missing"), dir.path()), dir.path(), "me");
    REQUIRE(error);
    CHECK_THAT(*error, Catch::Contains("missing"));

    auto files = client::default_config_files(dir.path());
    REQUIRE(files.size() == 2);
    CHECK(files[0].path == dir.file(".ssh/config"));
    CHECK(files[0].check_permissions);
    std::filesystem::create_directories(dir.file(".burrow"));
    test::write_file(dir.file(".burrow/config"), "User b\n");
    files = client::default_config_files(dir.path());
    CHECK(files[0].path == dir.file(".burrow/config"));
    CHECK(files[0].include_dir == dir.file(".burrow"));
    // A user file others may write is refused.
    ::chmod(dir.file(".burrow/config").c_str(), 0666);
    config = client::ClientConfig{};
    config.host = "h";
    const auto perm = client::load_config_files(config, {files[0]}, dir.path(), "me");
    REQUIRE(perm);
    CHECK_THAT(*perm, Catch::Contains("Bad owner or permissions"));
}

TEST_CASE("tokens in IdentityFile and UserKnownHostsFile", "[client][config]")
{
    const test::TempDir dir;
    const auto s = settings(dir,
                            "Host alias\n"
                            "  HostName Real.Host\n"
                            "  IdentityFile ~/k/%h-%p-%r-%u-%n-%%\n"
                            "  IdentityFile %d/plain\n"
                            "  UserKnownHostsFile ~/kh/%h none\n",
                            {"-p", "2022", "bob@alias"});
    REQUIRE(s.identity_files.size() == 2);
    CHECK(s.identity_files[0] == dir.path() + "/k/Real.Host-2022-bob-me-alias-%");
    CHECK(s.identity_files[1] == dir.path() + "/plain");
    CHECK(s.user_known_hosts_files == std::vector<std::string>{dir.path() + "/kh/Real.Host"});
}

TEST_CASE("-F and -G on the command line, and the -G output", "[client][config]")
{
    const auto parsed = client::parse_command_line({"-G", "-F", "/x/y", "-t", "h"});
    REQUIRE(parsed.action == client::CommandAction::run);
    CHECK(parsed.print_config);
    CHECK(parsed.config_file == "/x/y");
    CHECK(parsed.config.host == "h");
    const auto settings = client::resolve_settings(parsed.config, "/home/me", "me");
    const std::string dump = client::dump_config(parsed.config, settings);
    CHECK_THAT(dump, Catch::Contains("\nrequesttty true\n"));
    CHECK_THAT(dump, Catch::Contains("\nescapechar ~\n"));
    CHECK_THAT(dump, Catch::Contains("\nidentityfile ~/.ssh/id_ed25519\n"));
    const auto control = client::parse_command_line({"-e", "^]", "h"});
    const std::string dump2 = client::dump_config(
        control.config, client::resolve_settings(control.config, "/home/me", "me"));
    CHECK_THAT(dump2, Catch::Contains("\nescapechar \\^]\n"));
}

TEST_CASE("letter case: Host and user patterns are exact, Match host is not", "[client][config]")
{
    const test::TempDir dir;
    const std::string text =
        "Host CAPS\n"
        "  Port 2400\n"
        "Match host caps\n"
        "  Compression yes\n"
        "Match user Admin\n"
        "  Port 2500\n"
        "Host *\n"
        "  SendEnv LANG lang\n"
        "  SendEnv -LANG\n";
    CHECK(settings(dir, text, {"CAPS"}).port == 2400);
    CHECK(settings(dir, text, {"caps"}).port == 22);
    CHECK(settings(dir, text, {"CAPS"}).compression);
    CHECK(settings(dir, text, {"Admin@h"}).port == 2500);
    CHECK(settings(dir, text, {"-o", "User=admin", "h"}).port == 22);
    CHECK(settings(dir, text, {"h"}).send_env == std::vector<std::string>{"lang"});
    CHECK(client::wildcard_match("A*", "abc"));
    CHECK_FALSE(client::wildcard_match("A*", "abc", client::Case::sensitive));
}
