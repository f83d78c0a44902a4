// Authentication and agent options of burrow: -A/-a, ForwardAgent,
// PreferredAuthentications with the *Authentication switches,
// NumberOfPasswordPrompts, IdentitiesOnly and IdentityAgent.
#include <catch2/catch.hpp>

#include "client/options.h"

namespace burrow::client {

namespace {

Settings settings_for(const std::vector<std::string>& args)
{
    const ParseResult parsed = parse_command_line(args);
    REQUIRE(parsed.action == CommandAction::run);
    return resolve_settings(parsed.config, "/home/me", "me");
}

}  // namespace

TEST_CASE("auth options: defaults are ssh's", "[options][auth]")
{
    const Settings s = settings_for({"host"});
    CHECK(s.preferred_authentications ==
          std::vector<std::string>{"publickey", "keyboard-interactive", "password"});
    CHECK(s.number_of_password_prompts == 3);
    CHECK_FALSE(s.forward_agent);
    CHECK_FALSE(s.identities_only);
    CHECK(s.identity_agent.empty());
}

TEST_CASE("auth options: -A and -a, the first one wins", "[options][auth]")
{
    CHECK(settings_for({"-A", "host"}).forward_agent);
    CHECK_FALSE(settings_for({"-a", "-A", "host"}).forward_agent);
    CHECK(settings_for({"-o", "ForwardAgent=yes", "host"}).forward_agent);
    CHECK_FALSE(settings_for({"-o", "ForwardAgent=no", "-A", "host"}).forward_agent);
    CHECK(parse_command_line({"-o", "ForwardAgent=maybe", "host"}).action ==
          CommandAction::usage_error);
}

TEST_CASE("auth options: methods follow PreferredAuthentications minus disabled ones",
          "[options][auth]")
{
    CHECK(settings_for({"-o", "PreferredAuthentications=password,publickey", "host"})
              .preferred_authentications == std::vector<std::string>{"password", "publickey"});
    CHECK(settings_for(
              {"-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no", "host"})
              .preferred_authentications == std::vector<std::string>{"publickey"});
    CHECK(settings_for({"-o", "PubkeyAuthentication=no", "host"}).preferred_authentications ==
          std::vector<std::string>{"keyboard-interactive", "password"});
    // Unknown methods (hostbased, gssapi...) are not tried; "none" only when named.
    CHECK(settings_for({"-o", "PreferredAuthentications=hostbased,none,password", "host"})
              .preferred_authentications == std::vector<std::string>{"none", "password"});
}

TEST_CASE("auth options: NumberOfPasswordPrompts, IdentitiesOnly, IdentityAgent", "[options][auth]")
{
    const Settings s = settings_for({"-o", "NumberOfPasswordPrompts=1", "-o", "IdentitiesOnly=yes",
                                     "-o", "IdentityAgent=~/agent.sock", "host"});
    CHECK(s.number_of_password_prompts == 1);
    CHECK(s.identities_only);
    CHECK(s.identity_agent == "/home/me/agent.sock");
    CHECK(settings_for({"-o", "IdentityAgent=none", "host"}).identity_agent == "none");
    CHECK(settings_for({"-o", "IdentityAgent=SSH_AUTH_SOCK", "host"}).identity_agent.empty());
    CHECK(parse_command_line({"-o", "NumberOfPasswordPrompts=x", "host"}).action ==
          CommandAction::usage_error);
}

}  // namespace burrow::client
