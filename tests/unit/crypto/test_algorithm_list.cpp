// OpenSSH list syntax (plain, '+', '-', '^') and RekeyLimit/TIME parsing.
#include <catch2/catch.hpp>

#include "crypto/algorithm_list.h"
#include "crypto/rekey_limit.h"

namespace crypto = burrow::crypto;
using V = std::vector<std::string>;

namespace {

const V defaults = {"aes128-ctr", "aes256-ctr", "hmac-sha2-256"};
const V supported = {"aes128-ctr", "aes192-ctr", "aes256-ctr", "hmac-sha2-256", "hmac-sha1"};

V apply(std::string_view spec)
{
    std::string error;
    const auto result = crypto::apply_algorithm_list(spec, defaults, supported, &error);
    INFO(error);
    REQUIRE(result);
    return *result;
}

std::string apply_error(std::string_view spec)
{
    std::string error;
    const auto result = crypto::apply_algorithm_list(spec, defaults, supported, &error);
    CHECK_FALSE(result);
    return error;
}

}  // namespace

TEST_CASE("algorithm list: empty spec keeps the defaults", "[crypto][algorithm_list]")
{
    CHECK(apply("") == defaults);
}

TEST_CASE("algorithm list: plain list replaces the defaults", "[crypto][algorithm_list]")
{
    CHECK(apply("aes192-ctr,aes128-ctr") == V{"aes192-ctr", "aes128-ctr"});
    CHECK(apply("hmac-sha1") == V{"hmac-sha1"});
    CHECK(apply("aes192-ctr,aes192-ctr,aes128-ctr") == V{"aes192-ctr", "aes128-ctr"});
}

TEST_CASE("algorithm list: + appends to the defaults", "[crypto][algorithm_list]")
{
    CHECK(apply("+hmac-sha1") == V{"aes128-ctr", "aes256-ctr", "hmac-sha2-256", "hmac-sha1"});
    // Already in the defaults: stays where it was, once.
    CHECK(apply("+aes128-ctr,aes192-ctr") ==
          V{"aes128-ctr", "aes256-ctr", "hmac-sha2-256", "aes192-ctr"});
}

TEST_CASE("algorithm list: - removes from the defaults, with wildcards", "[crypto][algorithm_list]")
{
    CHECK(apply("-aes256-ctr") == V{"aes128-ctr", "hmac-sha2-256"});
    CHECK(apply("-aes*") == V{"hmac-sha2-256"});
    CHECK(apply("-aes1?8-ctr,hmac-*") == V{"aes256-ctr"});
    CHECK(apply("-*").empty());
    // Removing something not in the defaults (or unknown) is not an error.
    CHECK(apply("-no-such-thing") == defaults);
}

TEST_CASE("algorithm list: ^ puts names at the head", "[crypto][algorithm_list]")
{
    CHECK(apply("^aes256-ctr") == V{"aes256-ctr", "aes128-ctr", "hmac-sha2-256"});
    CHECK(apply("^hmac-sha1,aes192-ctr") ==
          V{"hmac-sha1", "aes192-ctr", "aes128-ctr", "aes256-ctr", "hmac-sha2-256"});
}

TEST_CASE("algorithm list: unknown names are rejected by name", "[crypto][algorithm_list]")
{
    CHECK_THAT(apply_error("aes128-ctr,blowfish-cbc"), Catch::Contains("blowfish-cbc"));
    CHECK_THAT(apply_error("+3des-cbc"), Catch::Contains("3des-cbc"));
    CHECK_THAT(apply_error("^arcfour"), Catch::Contains("arcfour"));
    // Wildcards only make sense for removal.
    CHECK_THAT(apply_error("aes*"), Catch::Contains("aes*"));
    CHECK_FALSE(crypto::apply_algorithm_list("a,,b", defaults, supported, nullptr));
    CHECK_FALSE(crypto::apply_algorithm_list("+", defaults, supported, nullptr));
    CHECK_FALSE(crypto::apply_algorithm_list("aes128-ctr,", defaults, supported, nullptr));
}

TEST_CASE("algorithm pattern matching", "[crypto][algorithm_list]")
{
    CHECK(crypto::algorithm_pattern_match("*", ""));
    CHECK(crypto::algorithm_pattern_match("*", "anything"));
    CHECK(
        crypto::algorithm_pattern_match("hmac-*-etm@openssh.com", "hmac-sha2-256-etm@openssh.com"));
    CHECK_FALSE(crypto::algorithm_pattern_match("hmac-*-etm@openssh.com", "hmac-sha2-256"));
    CHECK(crypto::algorithm_pattern_match("a?c", "abc"));
    CHECK_FALSE(crypto::algorithm_pattern_match("a?c", "ac"));
    CHECK_FALSE(crypto::algorithm_pattern_match("AES*", "aes128-ctr"));  // case-sensitive
    CHECK(crypto::algorithm_pattern_match("*sha1*", "hmac-sha1-etm@openssh.com"));
}

TEST_CASE("size and time specs", "[crypto][rekey_limit]")
{
    CHECK(crypto::parse_size_spec("0") == 0u);
    CHECK(crypto::parse_size_spec("100") == 100u);
    CHECK(crypto::parse_size_spec("1K") == 1024u);
    CHECK(crypto::parse_size_spec("1m") == 1024u * 1024u);
    CHECK(crypto::parse_size_spec("2G") == 2ull << 30);
    CHECK_FALSE(crypto::parse_size_spec(""));
    CHECK_FALSE(crypto::parse_size_spec("K"));
    CHECK_FALSE(crypto::parse_size_spec("1T"));
    CHECK_FALSE(crypto::parse_size_spec("1KK"));
    CHECK_FALSE(crypto::parse_size_spec("-1"));
    CHECK_FALSE(crypto::parse_size_spec("99999999999999999999G"));

    using std::chrono::seconds;
    CHECK(crypto::parse_time_spec("90") == seconds(90));
    CHECK(crypto::parse_time_spec("90s") == seconds(90));
    CHECK(crypto::parse_time_spec("10m") == seconds(600));
    CHECK(crypto::parse_time_spec("1h30m") == seconds(5400));
    CHECK(crypto::parse_time_spec("1H30M") == seconds(5400));
    CHECK(crypto::parse_time_spec("1d") == seconds(86400));
    CHECK(crypto::parse_time_spec("1w2d") == seconds(9 * 86400));
    CHECK(crypto::parse_time_spec("0") == seconds(0));
    CHECK_FALSE(crypto::parse_time_spec(""));
    CHECK_FALSE(crypto::parse_time_spec("h"));
    CHECK_FALSE(crypto::parse_time_spec("1x"));
    CHECK_FALSE(crypto::parse_time_spec("1hh"));
}

TEST_CASE("RekeyLimit values", "[crypto][rekey_limit]")
{
    using std::chrono::seconds;
    std::string error;
    const auto parse = [&](V args) { return crypto::parse_rekey_limit(args, &error); };

    CHECK(parse({"default"}) == crypto::RekeyLimit{0, crypto::default_rekey_interval});
    CHECK(parse({"1M"}) == crypto::RekeyLimit{1u << 20, crypto::default_rekey_interval});
    CHECK(parse({"1G", "1h"}) == crypto::RekeyLimit{1ull << 30, seconds(3600)});
    CHECK(parse({"default", "none"}) == crypto::RekeyLimit{0, seconds(0)});
    CHECK(parse({"512K", "default"}) ==
          crypto::RekeyLimit{512u * 1024u, crypto::default_rekey_interval});
    CHECK(parse({"DEFAULT", "30m"}) == crypto::RekeyLimit{0, seconds(1800)});

    CHECK_FALSE(parse({}));
    CHECK_FALSE(parse({"1M", "1h", "x"}));
    CHECK_FALSE(parse({"lots"}));
    CHECK_THAT(error, Catch::Contains("lots"));
    CHECK_FALSE(parse({"8"}));
    CHECK_THAT(error, Catch::Contains("too small"));
    CHECK_FALSE(parse({"1M", "soon"}));
    CHECK_THAT(error, Catch::Contains("soon"));
}
