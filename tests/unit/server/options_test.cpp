#include <catch2/catch.hpp>
#include <stdexcept>

#include "server/options.h"

namespace server = burrow::server;

TEST_CASE("options: flags, repeated and attached values", "[options]")
{
    const server::Options o =
        server::parse_options({"-De", "-p", "2222", "-p2223", "-h", "/k1", "-h/k2", "-f", "/cfg",
                               "-o", "LogLevel=DEBUG"});
    REQUIRE(o.no_detach);
    REQUIRE(o.log_stderr);
    REQUIRE(o.debug == 0);
    REQUIRE(o.ports == std::vector<std::string>{"2222", "2223"});
    REQUIRE(o.host_keys == std::vector<std::string>{"/k1", "/k2"});
    REQUIRE(o.config_file == "/cfg");
    REQUIRE(o.config_file_given);
    REQUIRE(o.overrides == std::vector<std::string>{"LogLevel=DEBUG"});
}

TEST_CASE("options: defaults and -d counting", "[options]")
{
    const server::Options o = server::parse_options({"-d", "-dd"});
    REQUIRE(o.debug == 3);
    REQUIRE_FALSE(o.no_detach);
    REQUIRE(o.config_file == server::default_config_file);
    REQUIRE_FALSE(o.config_file_given);
}

TEST_CASE("options: errors", "[options]")
{
    REQUIRE_THROWS_AS(server::parse_options({"-x"}), std::runtime_error);
    REQUIRE_THROWS_AS(server::parse_options({"-p"}), std::runtime_error);
    REQUIRE_THROWS_AS(server::parse_options({"stray"}), std::runtime_error);
}
