#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "server/config.h"

namespace server = burrow::server;

namespace {

server::RawConfig parse(const std::string& text)
{
    server::ConfigParser parser;
    parser.apply_file_text(text, "test.conf");
    return parser.raw();
}

std::string error_of(const std::string& text, const std::string& origin = "test.conf")
{
    server::ConfigParser parser;
    try {
        parser.apply_file_text(text, origin);
    } catch (const server::ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("config: keywords are case-insensitive, with space or '='", "[config]")
{
    const server::RawConfig raw = parse(
        "# a comment\n"
        "\n"
        "   # indented comment\n"
        "pOrT 2222\n"
        "PidFile=/run/a.pid\n"
        "LogLevel = verbose\n"
        "HostKey \"/etc/with space/key\"\n");
    REQUIRE(raw.ports == std::vector<uint16_t>{2222});
    REQUIRE(raw.pid_file == "/run/a.pid");
    REQUIRE(raw.log_level == server::LogLevel::verbose);
    REQUIRE(raw.host_keys == std::vector<std::string>{"/etc/with space/key"});
}

TEST_CASE("config: the first value obtained wins", "[config]")
{
    const server::RawConfig raw = parse(
        "PidFile /first.pid\n"
        "PidFile /second.pid\n"
        "LogLevel ERROR\n"
        "LogLevel DEBUG3\n"
        "AuthorizedKeysFile .ssh/one .ssh/two\n"
        "AuthorizedKeysFile .ssh/three\n");
    REQUIRE(raw.pid_file == "/first.pid");
    REQUIRE(raw.log_level == server::LogLevel::error);
    REQUIRE(*raw.authorized_keys_files == std::vector<std::string>{".ssh/one", ".ssh/two"});
}

TEST_CASE("config: multi-valued keywords accumulate", "[config]")
{
    const server::RawConfig raw = parse("Port 22\nPort 2222\nHostKey /a\nHostKey /b\n");
    REQUIRE(raw.ports == std::vector<uint16_t>{22, 2222});
    REQUIRE(raw.host_keys == std::vector<std::string>{"/a", "/b"});
}

TEST_CASE("config: an unknown keyword names file and line", "[config]")
{
    std::string text;
    for (int i = 0; i < 11; ++i) {
        text += "# filler\n";
    }
    text += "Foo bar\n";
    REQUIRE(error_of(text, "/etc/x") == "/etc/x:12: unknown keyword \"Foo\"");
}

TEST_CASE("config: bad values are errors with a location", "[config]")
{
    REQUIRE(error_of("Port 0\n") == "test.conf:1: bad port number \"0\"");
    REQUIRE(error_of("Port 65536\n") == "test.conf:1: bad port number \"65536\"");
    REQUIRE(error_of("\nPort\n") == "test.conf:2: missing argument for \"Port\"");
    REQUIRE(error_of("LogLevel LOUD\n") == "test.conf:1: unsupported log level \"LOUD\"");
    REQUIRE(error_of("PidFile /a /b\n") == "test.conf:1: too many arguments for \"PidFile\"");
    REQUIRE(error_of("HostKey \"/open\n") == "test.conf:1: unterminated quote");
    REQUIRE(error_of("ListenAddress [::1\n").starts_with("test.conf:1: "));
}

TEST_CASE("config: -o values take precedence over the file", "[config]")
{
    server::ConfigParser parser;
    parser.apply_override("PidFile=/cmdline.pid", 1);
    parser.apply_override("Port 3333", 2);
    parser.apply_file_text("PidFile /file.pid\nPort 22\nHostKey /file/key\n", "f");
    REQUIRE(parser.raw().pid_file == "/cmdline.pid");
    REQUIRE(parser.raw().ports == std::vector<uint16_t>{3333});
    REQUIRE(parser.raw().host_keys == std::vector<std::string>{"/file/key"});
}

TEST_CASE("config: -o with an unknown keyword is an error", "[config]")
{
    server::ConfigParser parser;
    REQUIRE_THROWS_WITH(parser.apply_override("Bogus=1", 1),
                        "command-line:1: unknown keyword \"Bogus\"");
}

TEST_CASE("config: ListenAddress forms", "[config]")
{
    using server::ListenAddress;
    using server::parse_listen_address;
    REQUIRE(parse_listen_address("192.0.2.1") == ListenAddress{"192.0.2.1", std::nullopt});
    REQUIRE(parse_listen_address("192.0.2.1:2222") == ListenAddress{"192.0.2.1", 2222});
    REQUIRE(parse_listen_address("::1") == ListenAddress{"::1", std::nullopt});
    REQUIRE(parse_listen_address("fe80::1:2") == ListenAddress{"fe80::1:2", std::nullopt});
    REQUIRE(parse_listen_address("[::1]") == ListenAddress{"::1", std::nullopt});
    REQUIRE(parse_listen_address("[::1]:2200") == ListenAddress{"::1", 2200});
    REQUIRE(parse_listen_address("localhost:22") == ListenAddress{"localhost", 22});
    REQUIRE(parse_listen_address("0.0.0.0") == ListenAddress{"0.0.0.0", std::nullopt});
    REQUIRE_THROWS_AS(parse_listen_address("[::1"), server::ConfigError);
    REQUIRE_THROWS_AS(parse_listen_address("[::1]22"), server::ConfigError);
    REQUIRE_THROWS_AS(parse_listen_address("[::1]:"), server::ConfigError);
    REQUIRE_THROWS_AS(parse_listen_address("host:"), server::ConfigError);
    REQUIRE_THROWS_AS(parse_listen_address(":22"), server::ConfigError);
    REQUIRE_THROWS_AS(parse_listen_address("host:0"), server::ConfigError);
    REQUIRE_THROWS_AS(parse_listen_address("host:http"), server::ConfigError);
}

TEST_CASE("config: resolving ports, addresses and defaults", "[config]")
{
    server::Options options;
    SECTION("defaults")
    {
        const server::ServerConfig c = server::resolve_config(options, server::RawConfig{});
        // AddressFamily any: the wildcard address of each family, explicitly.
        REQUIRE(c.listen == std::vector<server::ListenEndpoint>{{"0.0.0.0", 22}, {"::", 22}});
        REQUIRE(c.authorized_keys_files ==
                std::vector<std::string>{".ssh/authorized_keys", ".ssh/authorized_keys2"});
        REQUIRE(c.log_level == server::LogLevel::info);
        // sshd's default set: RSA, ECDSA and Ed25519 (missing files skipped).
        REQUIRE(c.host_keys == std::vector<std::string>{"/etc/burrow/ssh_host_rsa_key",
                                                        "/etc/burrow/ssh_host_ecdsa_key",
                                                        "/etc/burrow/ssh_host_ed25519_key"});
        REQUIRE(c.default_host_keys);
    }
    SECTION("ListenAddress without a port takes every Port; with a port keeps it")
    {
        const server::RawConfig raw =
            parse("Port 22\nPort 2222\nListenAddress 127.0.0.1\nListenAddress [::1]:3000\n");
        const server::ServerConfig c = server::resolve_config(options, raw);
        REQUIRE(c.listen == std::vector<server::ListenEndpoint>{
                                {"127.0.0.1", 22}, {"127.0.0.1", 2222}, {"::1", 3000}});
    }
    SECTION("-p replaces the file's Port lines; -h keys come first; -d raises the level")
    {
        options.ports = {"2299", "2300"};
        options.host_keys = {"/cmd/key"};
        options.debug = 2;
        const server::RawConfig raw = parse("Port 22\nHostKey /file/key\nLogLevel QUIET\n");
        const server::ServerConfig c = server::resolve_config(options, raw);
        REQUIRE(c.listen == std::vector<server::ListenEndpoint>{
                                {"0.0.0.0", 2299}, {"0.0.0.0", 2300}, {"::", 2299}, {"::", 2300}});
        REQUIRE(c.host_keys == std::vector<std::string>{"/cmd/key", "/file/key"});
        REQUIRE_FALSE(c.default_host_keys);
        REQUIRE(c.log_level == server::LogLevel::debug2);
    }
    SECTION("a bad -p is an error")
    {
        options.ports = {"ssh"};
        REQUIRE_THROWS_AS(server::resolve_config(options, server::RawConfig{}),
                          server::ConfigError);
    }
}

TEST_CASE("config: load_config reads -o then the file", "[config]")
{
    char path[] = "/tmp/burrowd_config_test_XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    {
        std::ofstream out(path);
        out << "PidFile /from/file.pid\nLogLevel ERROR\n";
    }
    server::Options options;
    options.config_file = path;
    options.config_file_given = true;
    options.overrides = {"pidfile=/from/cmdline.pid"};
    const server::ServerConfig c = server::load_config(options);
    std::remove(path);
    REQUIRE(c.pid_file == "/from/cmdline.pid");
    REQUIRE(c.log_level == server::LogLevel::error);
}

TEST_CASE("config: a missing default file means defaults, a missing -f file is an error",
          "[config]")
{
    server::Options options;
    options.config_file = "/nonexistent/burrowd_config";
    options.config_file_given = true;
    REQUIRE_THROWS_AS(server::load_config(options), server::ConfigError);
}

TEST_CASE("config: AuthorizedKeysFile token expansion", "[config]")
{
    using server::expand_user_path;
    REQUIRE(expand_user_path(".ssh/authorized_keys", "alice", "/home/alice") ==
            "/home/alice/.ssh/authorized_keys");
    REQUIRE(expand_user_path("%h/.ssh/keys", "alice", "/home/alice") == "/home/alice/.ssh/keys");
    REQUIRE(expand_user_path("/etc/keys/%u", "alice", "/home/alice") == "/etc/keys/alice");
    REQUIRE(expand_user_path("/etc/100%%/%u", "bob", "/") == "/etc/100%/bob");
    REQUIRE(expand_user_path("keys", "root", "/") == "/keys");
    REQUIRE_FALSE(expand_user_path("/etc/%x", "alice", "/home/alice"));
    REQUIRE_FALSE(expand_user_path("/etc/%", "alice", "/home/alice"));
}

TEST_CASE("config: LogLevel names", "[config]")
{
    REQUIRE(server::parse_log_level("debug") == server::LogLevel::debug1);
    REQUIRE(server::parse_log_level("DEBUG3") == server::LogLevel::debug3);
    REQUIRE(server::parse_log_level("Quiet") == server::LogLevel::quiet);
    REQUIRE_FALSE(server::parse_log_level("DEBUG4"));
}
