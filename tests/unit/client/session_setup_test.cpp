// The pty decision, the env requests and raw mode of interactive sessions
// (client/session_setup.h, client/terminal.h).
#include <catch2/catch.hpp>

#include "client/session_setup.h"
#include "client/terminal.h"

namespace client = burrow::client;
using client::RequestTty;

TEST_CASE("want_pty follows RequestTTY as ssh", "[client][session-setup]")
{
    // automatic: only an interactive shell on a terminal.
    CHECK(client::want_pty(RequestTty::automatic, false, true));
    CHECK_FALSE(client::want_pty(RequestTty::automatic, true, true));
    CHECK_FALSE(client::want_pty(RequestTty::automatic, false, false));
    // yes (-t): whenever stdin is a terminal, command or not.
    CHECK(client::want_pty(RequestTty::yes, true, true));
    CHECK_FALSE(client::want_pty(RequestTty::yes, false, false));
    // force (-tt): always; no (-T): never.
    CHECK(client::want_pty(RequestTty::force, true, false));
    CHECK_FALSE(client::want_pty(RequestTty::no, false, true));
}

TEST_CASE("env_name_match is a case-sensitive glob", "[client][session-setup]")
{
    CHECK(client::env_name_match("LC_*", "LC_ALL"));
    CHECK(client::env_name_match("LC_*", "LC_"));
    CHECK_FALSE(client::env_name_match("LC_*", "lc_all"));
    CHECK(client::env_name_match("A?C", "ABC"));
    CHECK_FALSE(client::env_name_match("A?C", "AC"));
    CHECK(client::env_name_match("*", "X"));
    CHECK(client::env_name_match("*B*D", "AABCCD"));
    CHECK_FALSE(client::env_name_match("*B*D", "AABCCDE"));
    CHECK_FALSE(client::env_name_match("LANG", "LANGUAGE"));
}

TEST_CASE("session_environment: SendEnv matches, SetEnv adds and wins", "[client][session-setup]")
{
    client::Settings settings;
    settings.send_env = {"LC_*", "LANG", "BOTH"};
    settings.set_env = {"BOTH=from-setenv", "EXTRA=x=y"};
    const char* env[] = {"LC_ALL=C",   "LANG=en_US.UTF-8", "LANGUAGE=en", "BOTH=from-env",
                         "HOME=/root", "=broken",          nullptr};
    const auto out = client::session_environment(settings, env);
    using Pair = std::pair<std::string, std::string>;
    CHECK(out ==
          std::vector<Pair>{
              {"LC_ALL", "C"}, {"LANG", "en_US.UTF-8"}, {"BOTH", "from-setenv"}, {"EXTRA", "x=y"}});
    client::Settings none;
    CHECK(client::session_environment(none, env).empty());
}

TEST_CASE("make_raw turns off what the remote pty does", "[client][session-setup]")
{
    termios cooked{};
    cooked.c_iflag = ICRNL | IXON | ISTRIP | BRKINT;
    cooked.c_oflag = OPOST | ONLCR;
    cooked.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN;
    cooked.c_cflag = CS8 | CREAD;
    cooked.c_cc[VMIN] = 0;
    cooked.c_cc[VINTR] = 3;
    const termios raw = client::make_raw(cooked);
    CHECK((raw.c_lflag & (ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN)) == 0);
    CHECK((raw.c_iflag & (ICRNL | IXON | ISTRIP)) == 0);
    CHECK((raw.c_iflag & IGNPAR) != 0);
    CHECK((raw.c_oflag & OPOST) == 0);
    CHECK(raw.c_cflag == cooked.c_cflag);
    CHECK(raw.c_cc[VMIN] == 1);
    CHECK(raw.c_cc[VTIME] == 0);
    CHECK(raw.c_cc[VINTR] == 3);  // kept: restored as found
}
