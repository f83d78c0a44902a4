// AllowUsers / DenyUsers / AllowGroups / DenyGroups and the shell check,
// with sshd's log reasons and order.
#include <catch2/catch.hpp>

#include "tests/unit/server/config_test_files.h"

#include "server/access_lists.h"
#include "server/config_match.h"
#include "server/peer_name.h"

namespace server = burrow::server;

namespace {

server::AccessRequest alice()
{
    server::AccessRequest r;
    r.user = "alice";
    r.groups = {"alice", "staff"};
    r.shell = "/bin/sh";
    r.host = "1.2.3.4";
    r.address = "1.2.3.4";
    return r;
}

}  // namespace

TEST_CASE("access: empty lists allow everyone with a usable shell", "[access]")
{
    REQUIRE_FALSE(server::access_refusal({}, alice()));
}

TEST_CASE("access: each list gives sshd's reason", "[access]")
{
    server::AccessLists lists;
    SECTION("DenyUsers")
    {
        lists.deny_users = {"bob", "al*"};
        REQUIRE(server::access_refusal(lists, alice()) ==
                "User alice from 1.2.3.4 not allowed because listed in DenyUsers");
    }
    SECTION("AllowUsers")
    {
        lists.allow_users = {"bob"};
        REQUIRE(server::access_refusal(lists, alice()) ==
                "User alice from 1.2.3.4 not allowed because not listed in AllowUsers");
        lists.allow_users = {"bob", "alice"};
        REQUIRE_FALSE(server::access_refusal(lists, alice()));
    }
    SECTION("DenyGroups")
    {
        lists.deny_groups = {"st?ff"};
        REQUIRE(server::access_refusal(lists, alice()) ==
                "User alice from 1.2.3.4 not allowed because a group is listed in DenyGroups");
    }
    SECTION("AllowGroups")
    {
        lists.allow_groups = {"wheel"};
        REQUIRE(server::access_refusal(lists, alice()) ==
                "User alice from 1.2.3.4 not allowed because none of user's groups are listed "
                "in AllowGroups");
        lists.allow_groups = {"wheel", "staff"};
        REQUIRE_FALSE(server::access_refusal(lists, alice()));
    }
    SECTION("order: DenyUsers before AllowUsers before the group lists")
    {
        lists.deny_users = {"alice"};
        lists.allow_users = {"bob"};
        lists.deny_groups = {"staff"};
        REQUIRE(server::access_refusal(lists, alice())->ends_with("listed in DenyUsers"));
        lists.deny_users.clear();
        REQUIRE(server::access_refusal(lists, alice())->ends_with("not listed in AllowUsers"));
        lists.allow_users = {"alice"};
        REQUIRE(server::access_refusal(lists, alice())->ends_with("listed in DenyGroups"));
    }
}

TEST_CASE("access: user@host entries match names, address patterns and CIDR", "[access]")
{
    server::AccessLists lists;
    server::AccessRequest r = alice();
    r.host = "box.example.org";
    lists.allow_users = {"alice@1.2.3.0/24"};
    REQUIRE_FALSE(server::access_refusal(lists, r));
    lists.allow_users = {"alice@*.example.org"};
    REQUIRE_FALSE(server::access_refusal(lists, r));
    lists.allow_users = {"alice@1.2.*"};
    REQUIRE_FALSE(server::access_refusal(lists, r));
    lists.allow_users = {"alice@10.0.0.0/8", "alice@*.example.com"};
    REQUIRE(server::access_refusal(lists, r) ==
            "User alice from box.example.org not allowed because not listed in AllowUsers");
    lists.allow_users.clear();
    lists.deny_users = {"alice@1.2.3.4/32"};
    REQUIRE(server::access_refusal(lists, r)->ends_with("listed in DenyUsers"));
    lists.deny_users = {"Alice"};  // user names are case-sensitive
    REQUIRE_FALSE(server::access_refusal(lists, r));
}

TEST_CASE("access: the shell must exist and be executable, unless chrooted", "[access]")
{
    server::AccessRequest r = alice();
    r.shell = "/nonexistent/shell";
    REQUIRE(server::access_refusal({}, r) ==
            "User alice from 1.2.3.4 not allowed because shell /nonexistent/shell does not exist");
    const burrow::server::test::TempDir dir;
    r.shell = dir.write("not-a-program", "text\n");  // mode 0644
    REQUIRE(server::access_refusal({}, r) ==
            "User alice from 1.2.3.4 not allowed because shell " + r.shell + " is not executable");
    r.check_shell = false;
    REQUIRE_FALSE(server::access_refusal({}, r));
    r.check_shell = true;
    r.shell.clear();  // empty = /bin/sh
    REQUIRE_FALSE(server::access_refusal({}, r));
}

TEST_CASE("peer name: UseDNS no gives the address; yes forward-confirms", "[access]")
{
    REQUIRE(server::peer_host_name("192.0.2.7", false) == "192.0.2.7");
    REQUIRE(server::peer_host_name("not-an-address", true) == "not-an-address");
    // 127.0.0.1 maps to "localhost" in /etc/hosts, which maps back.
    REQUIRE(server::peer_host_name("127.0.0.1", true) == "localhost");
    // TEST-NET-1 has no PTR record: the address itself.
    REQUIRE(server::peer_host_name("192.0.2.7", true) == "192.0.2.7");
}
