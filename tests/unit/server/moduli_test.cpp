// The moduli search order and the shipped server/moduli file.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "crypto/dh_group_exchange.h"
#include "server/moduli.h"

namespace server = burrow::server;
namespace crypto = burrow::crypto;

TEST_CASE("moduli: the shipped file holds the built-in groups", "[moduli]")
{
    std::ifstream in(BURROW_SOURCE_DIR "/server/moduli");
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    const std::vector<crypto::DhGroup> groups = crypto::parse_moduli(text.str());
    const std::vector<crypto::DhGroup>& builtin = crypto::builtin_groups();
    REQUIRE(groups.size() == builtin.size());
    for (const crypto::DhGroup& group : groups) {
        const bool found = std::any_of(builtin.begin(), builtin.end(), [&](const auto& b) {
            return b.p == group.p && b.g == group.g && b.bits == group.bits;
        });
        CHECK(found);
    }
}

TEST_CASE("moduli: ModuliFile is read; an unusable one means the built-in groups", "[moduli]")
{
    CHECK(server::load_dh_groups(std::string(BURROW_SOURCE_DIR "/server/moduli")).size() ==
          crypto::builtin_groups().size());
    CHECK(server::load_dh_groups(std::string("/nonexistent/moduli")).empty());
    CHECK(server::load_dh_groups(std::string("/dev/null")).empty());
}
