// burrowd login text keywords: PrintMotd, PrintLastLog, Banner.
#include <catch2/catch.hpp>
#include <string>

#include "server/config.h"

namespace server = burrow::server;

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

TEST_CASE("login text keywords default like sshd_config(5)", "[server][config]")
{
    const server::ServerConfig c = resolve("");
    CHECK(c.print_motd);
    CHECK(c.print_last_log);
    CHECK(c.banner.empty());
}

TEST_CASE("PrintMotd, PrintLastLog and Banner take their values", "[server][config]")
{
    const server::ServerConfig c =
        resolve("printmotd no\nPrintLastLog=no\nBanner /etc/issue.net\nBanner /ignored\n");
    CHECK_FALSE(c.print_motd);
    CHECK_FALSE(c.print_last_log);
    CHECK(c.banner == "/etc/issue.net");  // the first value wins
    CHECK(resolve("Banner none\n").banner.empty());
    CHECK(resolve("PrintMotd yes\nPrintMotd no\n").print_motd);
}

TEST_CASE("the command line overrides the login text keywords", "[server][config]")
{
    server::ConfigParser parser;
    parser.apply_override("PrintLastLog=no", 0);
    parser.apply_override("Banner=/etc/burrow/banner", 1);
    parser.apply_file_text("PrintLastLog yes\nBanner none\n", "test.conf");
    const server::ServerConfig c = server::resolve_config(server::Options{}, parser.raw());
    CHECK_FALSE(c.print_last_log);
    CHECK(c.banner == "/etc/burrow/banner");
}

TEST_CASE("bad login text values are errors naming the line", "[server][config]")
{
    CHECK(error_of("PrintMotd maybe\n").find("test.conf:1") != std::string::npos);
    CHECK(error_of("\nPrintLastLog\n").find("test.conf:2") != std::string::npos);
    CHECK(error_of("Banner a b\n").find("too many arguments") != std::string::npos);
    CHECK(error_of("Banner\n").find("missing argument") != std::string::npos);
}
