// ssh-style wildcard patterns and pattern lists.
#include <catch2/catch.hpp>

#include "client/pattern.h"

namespace client = burrow::client;

TEST_CASE("wildcard_match", "[client][pattern]")
{
    CHECK(client::wildcard_match("*", ""));
    CHECK(client::wildcard_match("*", "anything"));
    CHECK(client::wildcard_match("a?c", "abc"));
    CHECK_FALSE(client::wildcard_match("a?c", "ac"));
    CHECK(client::wildcard_match("*.example.com", "www.example.com"));
    CHECK_FALSE(client::wildcard_match("*.example.com", "example.com"));
    CHECK(client::wildcard_match("a*b*c", "aXXbYYc"));
    CHECK_FALSE(client::wildcard_match("a*b*c", "aXXbYY"));
    CHECK(client::wildcard_match("HOST", "host"));
    CHECK_FALSE(client::wildcard_match("host", "hostx"));
    // Pathological backtracking stays fast.
    CHECK_FALSE(client::wildcard_match("*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
}

TEST_CASE("match_pattern_list with negation", "[client][pattern]")
{
    using client::ListMatch;
    CHECK(client::match_pattern_list("a,b,c", "b") == ListMatch::positive);
    CHECK(client::match_pattern_list("a,b,c", "d") == ListMatch::none);
    CHECK(client::match_pattern_list("*,!bad", "bad") == ListMatch::negated);
    CHECK(client::match_pattern_list("!bad,*", "bad") == ListMatch::negated);
    CHECK(client::match_pattern_list("!bad", "good") == ListMatch::none);
    CHECK(client::match_pattern_list("", "x") == ListMatch::none);
}
