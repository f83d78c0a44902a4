// The AuthenticationMethods state machine.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "server/auth_progress.h"

namespace server = burrow::server;
using burrow::protocol::AuthVerdict;
using V = std::vector<std::string>;

namespace {
const V all{"publickey", "password", "keyboard-interactive"};
}

TEST_CASE("AuthenticationMethods any: one enabled method suffices", "[server][auth]")
{
    server::AuthProgress p({}, all);
    CHECK(p.offered() == all);
    CHECK(p.complete("password") == AuthVerdict::accept);
    server::AuthProgress only_key({}, V{"publickey"});
    CHECK(only_key.complete("password") == AuthVerdict::reject);
}

TEST_CASE("two factors in order: publickey then password", "[server][auth]")
{
    server::AuthProgress p({{"publickey", "password"}}, all);
    CHECK(p.offered() == V{"publickey"});
    CHECK_FALSE(p.allows("password"));
    CHECK(p.complete("password") == AuthVerdict::reject);
    CHECK(p.complete("publickey") == AuthVerdict::partial);
    CHECK(p.offered() == V{"password"});
    CHECK(p.complete("publickey") == AuthVerdict::reject);
    CHECK(p.complete("password") == AuthVerdict::accept);
}

TEST_CASE("several lists: any one completes", "[server][auth]")
{
    server::AuthProgress p({{"publickey", "password"},
                            {"publickey", "keyboard-interactive:pam"},
                            {"password", "publickey"}},
                           all);
    CHECK(p.offered() == V{"publickey", "password"});
    CHECK(p.complete("publickey") == AuthVerdict::partial);
    // Lists 1 and 2 advanced; list 3 still waits for password first.
    CHECK(p.offered() == V{"password", "keyboard-interactive"});
    CHECK(p.complete("keyboard-interactive") == AuthVerdict::accept);
}

TEST_CASE("reset forgets completed factors", "[server][auth]")
{
    server::AuthProgress p({{"publickey", "password"}}, all);
    CHECK(p.complete("publickey") == AuthVerdict::partial);
    p.reset();
    CHECK(p.offered() == V{"publickey"});
    CHECK(p.complete("password") == AuthVerdict::reject);
}

TEST_CASE("lists naming a disabled method are dropped", "[server][auth]")
{
    server::AuthProgress p({{"publickey", "password"}, {"publickey", "keyboard-interactive"}},
                           V{"publickey", "keyboard-interactive"});
    CHECK(p.complete("publickey") == AuthVerdict::partial);
    CHECK(p.offered() == V{"keyboard-interactive"});
    server::AuthProgress none({{"password"}}, V{"publickey"});
    CHECK(none.offered().empty());
}
