// burrowd authentication keywords: defaults, values, aliases, errors.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "server/config.h"

namespace server = burrow::server;
using V = std::vector<std::string>;

namespace {

server::ServerConfig resolve(const std::string& text)
{
    server::ConfigParser parser;
    parser.apply_file_text(text, "test.conf");
    return server::resolve_config(server::Options{}, parser.raw());
}

std::string error_of(const std::string& text)
{
    server::ConfigParser parser;
    try {
        parser.apply_file_text(text, "test.conf");
    } catch (const server::ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("authentication keywords default like sshd_config(5)", "[server][config]")
{
    const server::AuthSettings a = resolve("").auth;
    CHECK_FALSE(a.use_pam);
    CHECK(a.password_authentication);
    CHECK(a.kbd_interactive_authentication);
    CHECK(a.pubkey_authentication);
    CHECK_FALSE(a.permit_empty_passwords);
    CHECK(a.permit_root_login == server::PermitRootLogin::prohibit_password);
    CHECK(a.authentication_methods.empty());
    CHECK(a.max_auth_tries == 6);
    CHECK(a.login_grace_time == std::chrono::seconds(120));
    CHECK(server::enabled_auth_methods(a) == V{"publickey", "password", "keyboard-interactive"});
}

TEST_CASE("authentication keywords take their values, first one wins", "[server][config]")
{
    const server::AuthSettings a = resolve(
                                       "UsePAM yes\n"
                                       "PasswordAuthentication no\n"
                                       "PasswordAuthentication yes\n"
                                       "ChallengeResponseAuthentication no\n"
                                       "pubkeyauthentication NO\n"
                                       "PermitEmptyPasswords yes\n"
                                       "PermitRootLogin forced-commands-only\n"
                                       "AuthenticationMethods publickey,password publickey,"
                                       "keyboard-interactive:pam\n"
                                       "MaxAuthTries 2\n"
                                       "LoginGraceTime 1m30s\n")
                                       .auth;
    CHECK(a.use_pam);
    CHECK_FALSE(a.password_authentication);
    CHECK_FALSE(a.kbd_interactive_authentication);
    CHECK_FALSE(a.pubkey_authentication);
    CHECK(a.permit_empty_passwords);
    CHECK(a.permit_root_login == server::PermitRootLogin::forced_commands_only);
    REQUIRE(a.authentication_methods.size() == 2);
    CHECK(a.authentication_methods[0] == V{"publickey", "password"});
    CHECK(a.authentication_methods[1] == V{"publickey", "keyboard-interactive:pam"});
    CHECK(a.max_auth_tries == 2);
    CHECK(a.login_grace_time == std::chrono::seconds(90));
    CHECK(server::enabled_auth_methods(a).empty());
}

TEST_CASE("PermitRootLogin values and aliases", "[server][config]")
{
    CHECK(resolve("PermitRootLogin yes").auth.permit_root_login == server::PermitRootLogin::yes);
    CHECK(resolve("PermitRootLogin no").auth.permit_root_login == server::PermitRootLogin::no);
    CHECK(resolve("PermitRootLogin without-password").auth.permit_root_login ==
          server::PermitRootLogin::prohibit_password);
    CHECK(resolve("KbdInteractiveAuthentication no").auth.kbd_interactive_authentication == false);
    CHECK(resolve("AuthenticationMethods any").auth.authentication_methods.empty());
    CHECK(resolve("LoginGraceTime 0").auth.login_grace_time == std::chrono::seconds(0));
    CHECK(resolve("LoginGraceTime 2").auth.login_grace_time == std::chrono::seconds(2));
}

TEST_CASE("bad authentication keyword values are errors naming the line", "[server][config]")
{
    CHECK_THAT(error_of("UsePAM maybe"), Catch::Contains("test.conf:1"));
    CHECK_THAT(error_of("\nPermitRootLogin sometimes"), Catch::Contains("test.conf:2"));
    CHECK_THAT(error_of("AuthenticationMethods publickey,hostbased"), Catch::Contains("hostbased"));
    CHECK_THAT(error_of("AuthenticationMethods publickey,,password"),
               Catch::Contains("unsupported"));
    CHECK_FALSE(error_of("MaxAuthTries 0").empty());
    CHECK_FALSE(error_of("MaxAuthTries -1").empty());
    CHECK_FALSE(error_of("MaxAuthTries 12x").empty());
    CHECK_FALSE(error_of("LoginGraceTime 5y").empty());
    CHECK_FALSE(error_of("LoginGraceTime m").empty());
    CHECK_FALSE(error_of("LoginGraceTime 99999999999").empty());
    CHECK_FALSE(error_of("PasswordAuthentication").empty());
    CHECK_FALSE(error_of("PasswordAuthentication yes no").empty());
}

TEST_CASE("sshd time format", "[server][config]")
{
    using std::chrono::seconds;
    CHECK(server::parse_time_interval("600") == seconds(600));
    CHECK(server::parse_time_interval("10m") == seconds(600));
    CHECK(server::parse_time_interval("1h30m") == seconds(5400));
    CHECK(server::parse_time_interval("1W") == seconds(604800));
    CHECK(server::parse_time_interval("1d1s") == seconds(86401));
    CHECK_FALSE(server::parse_time_interval(""));
    CHECK_FALSE(server::parse_time_interval("1.5m"));
    CHECK_FALSE(server::parse_time_interval("h"));
}
