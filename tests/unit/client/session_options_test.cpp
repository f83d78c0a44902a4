// Session options of issue D: -T / -t / -tt and RequestTTY, SendEnv, SetEnv,
// -e and EscapeChar, with ssh's "first value wins" and accumulation rules.
#include <catch2/catch.hpp>

#include "client/options.h"

namespace client = burrow::client;
using client::CommandAction;
using client::RequestTty;

namespace {

client::Settings settings_of(std::vector<std::string> args)
{
    const auto parsed = client::parse_command_line(args);
    REQUIRE(parsed.action == CommandAction::run);
    return client::resolve_settings(parsed.config, "/home/me", "me");
}

}  // namespace

TEST_CASE("pty flags and RequestTTY", "[client][options][session]")
{
    CHECK(settings_of({"h"}).request_tty == RequestTty::automatic);
    CHECK(settings_of({"-T", "h"}).request_tty == RequestTty::no);
    CHECK(settings_of({"-t", "h"}).request_tty == RequestTty::yes);
    CHECK(settings_of({"-tt", "h"}).request_tty == RequestTty::force);
    CHECK(settings_of({"-t", "h", "-t"}).request_tty == RequestTty::force);
    CHECK(settings_of({"-o", "RequestTTY=force", "h"}).request_tty == RequestTty::force);
    CHECK(settings_of({"-o", "RequestTTY no", "h"}).request_tty == RequestTty::no);
    CHECK(settings_of({"-o", "requesttty=auto", "h"}).request_tty == RequestTty::automatic);
    // The flag is read before -o values from files would be: it wins.
    CHECK(settings_of({"-T", "-o", "RequestTTY=yes", "h"}).request_tty == RequestTty::no);
    CHECK(client::parse_command_line({"-o", "RequestTTY=maybe", "h"}).action ==
          CommandAction::usage_error);
}

TEST_CASE("SendEnv accumulates and removes", "[client][options][session]")
{
    const auto s = settings_of({"-o", "SendEnv LANG LC_*", "-o", "SendEnv FOO", "-o",
                                "SendEnv -LC_*", "-o", "SendEnv BAR", "h"});
    CHECK(s.send_env == std::vector<std::string>{"LANG", "FOO", "BAR"});
    CHECK(client::parse_command_line({"-o", "SendEnv A=B", "h"}).action ==
          CommandAction::usage_error);
}

TEST_CASE("SetEnv: the first line wins, a name once", "[client][options][session]")
{
    const auto s = settings_of({"-o", "SetEnv A=1 B=\"two words\" A=3", "-o", "SetEnv C=4", "h"});
    CHECK(s.set_env == std::vector<std::string>{"A=1", "B=two words"});
    CHECK(settings_of({"h"}).set_env.empty());
    CHECK(client::parse_command_line({"-o", "SetEnv NOVALUE", "h"}).action ==
          CommandAction::usage_error);
}

TEST_CASE("escape character", "[client][options][session]")
{
    CHECK(settings_of({"h"}).escape_char == '~');
    CHECK(settings_of({"-e", "none", "h"}).escape_char == std::nullopt);
    CHECK(settings_of({"-e", "^]", "h"}).escape_char == '\x1d');
    CHECK(settings_of({"-e#", "h"}).escape_char == '#');
    CHECK(settings_of({"-e", "%", "-o", "EscapeChar=!", "h"}).escape_char == '%');
    CHECK(settings_of({"-o", "EscapeChar=^A", "h"}).escape_char == '\x01');
    CHECK(client::parse_command_line({"-e", "ab", "h"}).action == CommandAction::usage_error);
    CHECK(client::parse_command_line({"-o", "EscapeChar=xy", "h"}).action ==
          CommandAction::usage_error);
}
