// Match blocks, Include and per-connection resolution (sshd_config(5)).
#include <catch2/catch.hpp>

#include "server/config.h"
#include "tests/unit/server/config_test_files.h"

namespace server = burrow::server;
using server::test::TempDir;

namespace {

server::Options options_for(const std::string& path)
{
    server::Options options;
    options.config_file = path;
    options.config_file_given = true;
    return options;
}

server::ConnectionInfo connection(std::string user, std::string address, uint16_t lport = 22)
{
    server::ConnectionInfo c;
    c.user = std::move(user);
    c.address = address;
    c.host = address;
    c.local_address = "127.0.0.1";
    c.local_port = lport;
    return c;
}

std::string load_error(const std::string& text)
{
    const TempDir dir;
    const std::string path = dir.write("sshd_config", text);
    try {
        server::load_config_source(options_for(path));
    } catch (const server::ConfigError& e) {
        const std::string message = e.what();
        // Strip the temporary directory so tests compare "sshd_config:N: ...".
        return message.substr(dir.path().size() + 1);
    }
    return "";
}

const char* const match_config =
    "PasswordAuthentication yes\n"
    "MaxAuthTries 4\n"
    "Match User alice,b*\n"
    "    PasswordAuthentication no\n"
    "    ForceCommand /bin/true\n"
    "Match Address 10.0.0.0/8,!10.1.0.0/16\n"
    "    PasswordAuthentication yes\n"
    "    MaxAuthTries 2\n"
    "Match LocalPort 2222 User *,!root\n"
    "    Banner /etc/issue.net\n"
    "Match Group root\n"
    "    PermitTTY no\n"
    "Match Host *.example.org\n"
    "    MaxSessions 3\n"
    "Match all\n"
    "    AcceptEnv LANG\n";

}  // namespace

TEST_CASE("match: blocks apply per connection, first matching block wins", "[config][match]")
{
    const TempDir dir;
    const server::Options options = options_for(dir.write("sshd_config", match_config));
    const server::ConfigSource source = server::load_config_source(options);
    REQUIRE(source.matches.size() == 6);

    SECTION("without a connection Match blocks are not applied")
    {
        const server::ServerConfig c = server::resolve_config(options, source, nullptr);
        REQUIRE(c.auth.password_authentication);
        REQUIRE_FALSE(c.session.force_command);
        REQUIRE(c.session.accept_env.empty());
        REQUIRE(c.auth.max_auth_tries == 4);
    }
    SECTION("User with wildcard; the earlier block wins over a later one")
    {
        const auto conn = connection("bob", "10.2.3.4");
        const server::ServerConfig c = server::resolve_config(options, source, &conn);
        REQUIRE_FALSE(c.auth.password_authentication);  // from Match User, not Address
        REQUIRE(c.session.force_command == "/bin/true");
        REQUIRE(c.auth.max_auth_tries == 2);  // Address block still applies to others
        REQUIRE(c.session.accept_env == std::vector<std::string>{"LANG"});
    }
    SECTION("CIDR with a negated sub-block")
    {
        const auto inside = connection("carol", "10.2.3.4");
        REQUIRE(server::resolve_config(options, source, &inside).auth.max_auth_tries == 2);
        const auto negated = connection("carol", "10.1.2.3");
        REQUIRE(server::resolve_config(options, source, &negated).auth.max_auth_tries == 4);
        const auto outside = connection("carol", "192.0.2.1");
        REQUIRE(server::resolve_config(options, source, &outside).auth.max_auth_tries == 4);
    }
    SECTION("all criteria on a line must match; negated user")
    {
        // A list of only negated patterns matches nothing (sshd(8) PATTERNS).
        REQUIRE(server::match_name_list("!root", "carol") == server::ListMatch::no_match);
        const auto carol = connection("carol", "192.0.2.1", 2222);
        REQUIRE(server::resolve_config(options, source, &carol).banner == "/etc/issue.net");
        const auto other_port = connection("carol", "192.0.2.1", 22);
        REQUIRE(server::resolve_config(options, source, &other_port).banner.empty());
        const auto root = connection("root", "192.0.2.1", 2222);
        REQUIRE(server::resolve_config(options, source, &root).banner.empty());
    }
    SECTION("Group uses the user's groups; an unknown user matches no group")
    {
        const auto root = connection("root", "192.0.2.1");
        REQUIRE_FALSE(server::resolve_config(options, source, &root).session.permit_tty);
        const auto unknown = connection("no-such-user-burrow", "192.0.2.1");
        REQUIRE(server::resolve_config(options, source, &unknown).session.permit_tty);
    }
    SECTION("Host patterns are matched case-insensitively against the host name")
    {
        auto conn = connection("carol", "192.0.2.1");
        conn.host = "Box.Example.ORG";
        REQUIRE(server::resolve_config(options, source, &conn).session.max_sessions == 3);
    }
}

TEST_CASE("match: -o beats Match, Match list keywords replace the global list", "[config][match]")
{
    const TempDir dir;
    server::Options options = options_for(
        dir.write("sshd_config",
                  "AllowUsers alice bob\nMaxAuthTries 5\nMatch User alice\n  AllowUsers alice\n"
                  "  MaxAuthTries 1\n  LogLevel DEBUG1\n"));
    options.overrides = {"MaxAuthTries=3"};
    const server::ConfigSource source = server::load_config_source(options);
    const auto alice = connection("alice", "192.0.2.1");
    const server::ServerConfig c = server::resolve_config(options, source, &alice);
    REQUIRE(c.auth.max_auth_tries == 3);
    REQUIRE(c.log_level == server::LogLevel::debug1);
    REQUIRE(c.access.allow_users == std::vector<std::string>{"alice"});
    const auto bob = connection("bob", "192.0.2.1");
    REQUIRE(server::resolve_config(options, source, &bob).access.allow_users ==
            std::vector<std::string>{"alice", "bob"});
}

TEST_CASE("match: keywords not allowed in Match and bad criteria name file:line", "[config][match]")
{
    REQUIRE(load_error("Match User x\n  Port 22\n") ==
            "sshd_config:2: Directive 'Port' is not allowed within a Match block");
    REQUIRE(load_error("Match User x\n  UsePAM yes\n") ==
            "sshd_config:2: Directive 'UsePAM' is not allowed within a Match block");
    REQUIRE(load_error("Match\n") == "sshd_config:1: Match requires at least one criterion");
    REQUIRE(load_error("Match User\n") == "sshd_config:1: Match User requires an argument");
    REQUIRE(load_error("Match Colour blue\n") ==
            "sshd_config:1: Unsupported Match attribute Colour");
    REQUIRE(load_error("Match all User x\n") ==
            "sshd_config:1: 'all' cannot be combined with other Match attributes");
    // Values inside Match blocks are checked at load time too.
    REQUIRE(load_error("Match User x\n  MaxAuthTries lots\n") ==
            "sshd_config:2: bad MaxAuthTries value \"lots\"");
}

TEST_CASE("include: globs, relative paths, Match inside included files", "[config][include]")
{
    const TempDir dir;
    dir.write("conf.d/20-b.conf", "MaxSessions 7\n");
    dir.write("conf.d/10-a.conf", "MaxSessions 5\nMatch User alice\n  PermitTTY no\n");
    dir.write("conf.d/ignored.txt", "Bogus keyword\n");
    dir.write("in-match.conf", "ForceCommand /bin/date\n");
    const std::string main = dir.write("sshd_config",
                                       "Include conf.d/*.conf\n"
                                       "PasswordAuthentication no\n"
                                       "Match User bob\n"
                                       "  Include in-match.conf\n"
                                       "  MaxAuthTries 2\n"
                                       "Include /nonexistent/*.conf\n");
    const server::Options options = options_for(main);
    const server::ConfigSource source = server::load_config_source(options);
    const server::ServerConfig global = server::resolve_config(options, source, nullptr);
    REQUIRE(global.session.max_sessions == 5);           // 10-a before 20-b: first wins
    REQUIRE_FALSE(global.auth.password_authentication);  // the included Match ended with its file
    REQUIRE(global.session.permit_tty);
    const auto alice = connection("alice", "192.0.2.1");
    REQUIRE_FALSE(server::resolve_config(options, source, &alice).session.permit_tty);
    const auto bob = connection("bob", "192.0.2.1");
    const server::ServerConfig b = server::resolve_config(options, source, &bob);
    REQUIRE(b.session.force_command == "/bin/date");
    REQUIRE(b.auth.max_auth_tries == 2);
    REQUIRE(b.session.permit_tty);
}

TEST_CASE("include: errors name the included file, loops stop at the depth limit",
          "[config][include]")
{
    const TempDir dir;
    dir.write("bad.conf", "\nNoSuchKeyword 1\n");
    const std::string main = dir.write("sshd_config", "Include bad.conf\n");
    REQUIRE_THROWS_WITH(server::load_config_source(options_for(main)),
                        dir.path() + "/bad.conf:2: unknown keyword \"NoSuchKeyword\"");
    const std::string loop = dir.write("loop.conf", "Include loop.conf\n");
    REQUIRE_THROWS_WITH(server::load_config_source(options_for(loop)),
                        Catch::Matchers::Contains("Include nested too deeply"));
}

TEST_CASE("match: Debian 12's stock sshd_config parses except X11Forwarding yes", "[config][match]")
{
    const char* const debian =
        "Include /etc/ssh/sshd_config.d/*.conf\n"
        "KbdInteractiveAuthentication no\n"
        "UsePAM yes\n"
        "X11Forwarding yes\n"
        "PrintMotd no\n"
        "AcceptEnv LANG LC_*\n"
        "Subsystem\tsftp\t/usr/lib/openssh/sftp-server\n";
    REQUIRE(load_error(debian) ==
            "sshd_config:4: X11Forwarding yes: burrowd has no X11 forwarding");
    std::string without_x11 = debian;
    without_x11.replace(without_x11.find("X11Forwarding yes"), 17, "X11Forwarding no");
    REQUIRE(load_error(without_x11).empty());
}
