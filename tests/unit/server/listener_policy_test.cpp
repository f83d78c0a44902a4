// MaxStartups start:rate:full, PerSourceMaxStartups blocks, PerSourcePenalties
// arithmetic and the listener keywords' parsing (sshd_config(5)).
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "server/config.h"
#include "server/connection_outcome.h"
#include "server/penalties.h"
#include "server/startup_limits.h"

namespace server = burrow::server;
using namespace std::chrono_literals;

namespace {

server::SourceAddress addr(const char* text)
{
    const std::optional<server::SourceAddress> a = server::SourceAddress::parse(text);
    REQUIRE(a);
    return *a;
}

/// wait(2) status of a process that exited with `code` / was killed by `sig`.
int exited(int code)
{
    return code << 8;
}

}  // namespace

TEST_CASE("MaxStartups: rate% at start, rising linearly to 100% at full", "[listener-policy]")
{
    const server::StartupLimits l{10, 30, 100};
    REQUIRE(server::startup_drop_percent(l, 0) == 0);
    REQUIRE(server::startup_drop_percent(l, 9) == 0);
    REQUIRE(server::startup_drop_percent(l, 10) == 30);
    REQUIRE(server::startup_drop_percent(l, 55) == 65);  // halfway: 30 + 70/2
    REQUIRE(server::startup_drop_percent(l, 99) == 99);
    REQUIRE(server::startup_drop_percent(l, 100) == 100);
    REQUIRE(server::startup_drop_percent(l, 1000) == 100);
    // The draw decides: below the percentage drops.
    REQUIRE(server::should_drop_startup(l, 10, 29));
    REQUIRE_FALSE(server::should_drop_startup(l, 10, 30));
    REQUIRE_FALSE(server::should_drop_startup(l, 9, 0));
    REQUIRE(server::should_drop_startup(l, 100, 99));
    // start == full: everything at or past start is refused.
    const server::StartupLimits hard{5, 100, 5};
    REQUIRE_FALSE(server::should_drop_startup(hard, 4, 0));
    REQUIRE(server::should_drop_startup(hard, 5, 99));
}

TEST_CASE("PerSourceMaxStartups counts per PerSourceNetBlockSize block", "[listener-policy]")
{
    server::SourceStartups counts(2, server::NetBlockSize{24, 64});
    counts.add(addr("192.0.2.1"));
    counts.add(addr("192.0.2.200"));  // same /24
    REQUIRE_FALSE(counts.allows(addr("192.0.2.77")));
    REQUIRE(counts.allows(addr("192.0.3.1")));
    REQUIRE(counts.allows(addr("2001:db8::1")));
    counts.remove(addr("192.0.2.1"));
    REQUIRE(counts.allows(addr("192.0.2.77")));
    counts.remove(addr("192.0.2.200"));
    REQUIRE(counts.block_count() == 0);
    counts.remove(addr("192.0.2.200"));  // extra removes are harmless
    REQUIRE(counts.block_count() == 0);

    server::SourceStartups unlimited(std::nullopt, server::NetBlockSize{});
    for (int i = 0; i < 100; ++i) {
        unlimited.add(addr("127.0.0.2"));
    }
    REQUIRE(unlimited.allows(addr("127.0.0.2")));
}

TEST_CASE("source addresses: v4-mapped, masks, exempt lists", "[listener-policy]")
{
    REQUIRE(addr("::ffff:192.0.2.9") == addr("192.0.2.9"));
    REQUIRE(addr("10.1.2.3").masked(8).to_string() == "10.0.0.0");
    REQUIRE(addr("10.1.2.3").masked(12).to_string() == "10.0.0.0");
    REQUIRE(addr("10.17.2.3").masked(12).to_string() == "10.16.0.0");
    REQUIRE(addr("2001:db8:ffff::1").masked(33).to_string() == "2001:db8:8000::");
    const auto net = server::AddressMask::parse("127.0.0.0/8");
    REQUIRE(net);
    REQUIRE(net->contains(addr("127.0.0.3")));
    REQUIRE_FALSE(net->contains(addr("128.0.0.1")));
    REQUIRE_FALSE(net->contains(addr("::1")));
    REQUIRE_FALSE(server::AddressMask::parse("127.0.0.0/33"));
    REQUIRE_FALSE(server::AddressMask::parse("127.0.0.0/"));
    REQUIRE_FALSE(server::AddressMask::parse("host.example"));
    REQUIRE(server::AddressMask::parse("::1")->contains(addr("::1")));
}

TEST_CASE("penalties: wait status to penalty", "[listener-policy]")
{
    using K = server::PenaltyKind;
    REQUIRE_FALSE(server::penalty_for_wait_status(exited(server::exit_connection_ok)));
    REQUIRE(server::penalty_for_wait_status(exited(server::exit_auth_attempted)) == K::authfail);
    REQUIRE(server::penalty_for_wait_status(exited(server::exit_grace_exceeded)) ==
            K::grace_exceeded);
    REQUIRE(server::penalty_for_wait_status(exited(server::exit_child_crash)) == K::crash);
    REQUIRE(server::penalty_for_wait_status(exited(server::exit_connection_error)) == K::noauth);
    REQUIRE(server::penalty_for_wait_status(SIGSEGV) == K::crash);  // WIFSIGNALED
}

TEST_CASE("penalties accumulate to min, cap at max and expire", "[listener-policy]")
{
    server::PenaltySettings s;
    s.authfail = 5s;
    s.min = 15s;
    s.max = 20s;
    server::PenaltyTable table(s, server::NetBlockSize{}, {});
    const auto t0 = server::PenaltyTable::Clock::time_point{} + 1000s;
    const server::SourceAddress a = addr("192.0.2.1");
    REQUIRE_FALSE(table.penalise(a, server::PenaltyKind::authfail, t0).empty());
    REQUIRE_FALSE(table.refusal(a, t0));  // 5 s < min
    table.penalise(a, server::PenaltyKind::authfail, t0);
    REQUIRE_FALSE(table.refusal(a, t0));  // 10 s
    table.penalise(a, server::PenaltyKind::authfail, t0);
    REQUIRE(table.refusal(a, t0) == std::string("authfail"));  // 15 s: enforced
    for (int i = 0; i < 10; ++i) {
        table.penalise(a, server::PenaltyKind::authfail, t0 + 3s);
    }
    // Capped at max (20 s) from the last penalty.
    REQUIRE(table.refusal(a, t0 + 22s));
    REQUIRE_FALSE(table.refusal(a, t0 + 23s));
    REQUIRE(table.size(false) == 0);  // expired entries are dropped
    REQUIRE_FALSE(table.refusal(addr("192.0.2.2"), t0));
}

TEST_CASE("penalties: crash alone is enforced; exempt list; disabled", "[listener-policy]")
{
    server::PenaltySettings s;  // crash 90 s >= min 15 s
    const auto exempt = server::AddressMask::parse("127.0.0.0/8");
    server::PenaltyTable table(s, server::NetBlockSize{}, {*exempt});
    const auto t0 = server::PenaltyTable::Clock::time_point{} + 1000s;
    table.penalise(addr("192.0.2.1"), server::PenaltyKind::crash, t0);
    REQUIRE(table.refusal(addr("192.0.2.1"), t0 + 89s));
    REQUIRE_FALSE(table.refusal(addr("192.0.2.1"), t0 + 90s));
    REQUIRE(table.penalise(addr("127.0.0.2"), server::PenaltyKind::crash, t0).empty());
    REQUIRE_FALSE(table.refusal(addr("127.0.0.2"), t0));

    s.enabled = false;
    server::PenaltyTable off(s, server::NetBlockSize{}, {});
    off.penalise(addr("192.0.2.1"), server::PenaltyKind::crash, t0);
    REQUIRE_FALSE(off.refusal(addr("192.0.2.1"), t0));
}

TEST_CASE("penalties: overflow permissive evicts, deny-all refuses", "[listener-policy]")
{
    server::PenaltySettings s;
    s.max_sources4 = 2;
    const auto t0 = server::PenaltyTable::Clock::time_point{} + 1000s;
    server::PenaltyTable permissive(s, server::NetBlockSize{}, {});
    permissive.penalise(addr("192.0.2.1"), server::PenaltyKind::crash, t0);
    permissive.penalise(addr("192.0.2.2"), server::PenaltyKind::crash, t0 + 1s);
    permissive.penalise(addr("192.0.2.3"), server::PenaltyKind::crash, t0 + 2s);
    REQUIRE(permissive.size(false) == 2);
    REQUIRE_FALSE(permissive.refusal(addr("192.0.2.1"), t0 + 3s));  // evicted: soonest expiry
    REQUIRE(permissive.refusal(addr("192.0.2.3"), t0 + 3s));
    REQUIRE_FALSE(permissive.refusal(addr("192.0.2.50"), t0 + 3s));

    s.overflow_deny_all = true;
    server::PenaltyTable deny(s, server::NetBlockSize{}, {});
    deny.penalise(addr("192.0.2.1"), server::PenaltyKind::crash, t0);
    deny.penalise(addr("192.0.2.2"), server::PenaltyKind::crash, t0);
    REQUIRE(deny.refusal(addr("192.0.2.50"), t0));     // table full: everyone
    REQUIRE_FALSE(deny.refusal(addr("2001:db8::1"), t0));  // IPv6 tracked apart
    REQUIRE_FALSE(deny.refusal(addr("192.0.2.50"), t0 + 90s));  // expired
}

TEST_CASE("listener keywords parse and dump as sshd -T", "[listener-policy]")
{
    server::ConfigParser parser;
    parser.apply_file_text(
        "MaxStartups 5:50:20\n"
        "PerSourceMaxStartups 3\n"
        "PerSourceNetBlockSize 24:56\n"
        "PerSourcePenalties authfail:2s min:1s max:1m overflow:deny-all\n"
        "PerSourcePenaltyExemptList 127.0.0.2,10.0.0.0/8\n"
        "MaxStartups 1\n",  // first value wins
        "test");
    server::ServerConfig out;
    server::resolve_daemon(parser.raw(), out);
    const server::DaemonSettings& d = out.daemon;
    REQUIRE(d.max_startups.start == 5);
    REQUIRE(d.max_startups.rate == 50);
    REQUIRE(d.max_startups.full == 20);
    REQUIRE(d.per_source_max_startups == 3u);
    REQUIRE(d.net_block_size.v4 == 24);
    REQUIRE(d.net_block_size.v6 == 56);
    REQUIRE(d.penalties.enabled);
    REQUIRE(d.penalties.authfail == 2s);
    REQUIRE(d.penalties.max == 60s);
    REQUIRE(d.penalties.crash == 90s);  // default kept
    REQUIRE(d.penalties.overflow6_deny_all);  // follows overflow
    REQUIRE(d.penalty_exempt.size() == 2);
    server::ConfigDumpLines lines;
    server::dump_daemon_settings(d, lines);
    REQUIRE(lines[0] == std::pair<std::string, std::string>{"maxstartups", "5:50:20"});
    REQUIRE(lines[1].second == "3");
    REQUIRE(lines[2].second == "24:56");
    REQUIRE(lines[4].second == "127.0.0.2,10.0.0.0/8");

    for (const char* bad :
         {"MaxStartups 10:30", "MaxStartups 20:30:10", "MaxStartups 1:101:5", "MaxStartups x",
          "PerSourceMaxStartups 0", "PerSourceNetBlockSize 33", "PerSourcePenalties crash",
          "PerSourcePenalties bogus:1s", "PerSourcePenalties overflow:sometimes",
          "PerSourcePenaltyExemptList 1.2.3.4/40"}) {
        server::ConfigParser p;
        CHECK_THROWS(p.apply_file_text(bad, "test"));
    }
    server::ConfigParser off;
    off.apply_file_text("PerSourcePenalties no\nPerSourceMaxStartups none\n", "test");
    server::ServerConfig off_out;
    server::resolve_daemon(off.raw(), off_out);
    REQUIRE_FALSE(off_out.daemon.penalties.enabled);
    REQUIRE_FALSE(off_out.daemon.per_source_max_startups);
}
