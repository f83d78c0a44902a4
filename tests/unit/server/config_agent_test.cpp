// burrowd's AllowAgentForwarding keyword (sshd_config(5)).
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

TEST_CASE("AllowAgentForwarding defaults to yes; the first value wins", "[server][config]")
{
    CHECK(resolve("").allow_agent_forwarding);
    CHECK_FALSE(resolve("AllowAgentForwarding no\n").allow_agent_forwarding);
    CHECK_FALSE(
        resolve("allowagentforwarding=No\nAllowAgentForwarding yes\n").allow_agent_forwarding);
    CHECK(resolve("AllowAgentForwarding yes\nAllowAgentForwarding no\n").allow_agent_forwarding);
}

TEST_CASE("AllowAgentForwarding rejects other values with the location", "[server][config]")
{
    CHECK(error_of("\nAllowAgentForwarding maybe\n") ==
          "test.conf:2: unsupported AllowAgentForwarding value \"maybe\"");
    CHECK(error_of("AllowAgentForwarding\n").starts_with("test.conf:1: "));
}
