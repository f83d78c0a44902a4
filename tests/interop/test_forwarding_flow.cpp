// Flow control of forwarded connections (issue E): each forwarded connection is its own
// channel with its own window, so a receiver that stops reading holds back only its own
// channel. burrow -L to burrowd (both ends ours): 8 parallel 10 MB HTTP downloads through the
// forward, first alone, then while another forwarded connection asks for a file and never
// reads. The second run must finish within a bound relative to the first,
// with every download intact (the stalled one asks for 64 MB through a second forward of the
// same connection, more than all buffers on the way hold). Also: thousands of short forwarded
// connections over one SSH connection.

#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <future>

#include "fixtures.h"
#include "forwarding_helpers.h"

namespace burrow::interop_test {
namespace {

constexpr size_t parallel_downloads = 8;
constexpr auto download_timeout = std::chrono::seconds(120);

/// burrow -N with `options` to `host`, in the background.
std::unique_ptr<Process> start_burrow(const ServedHost& host, std::vector<std::string> options,
                                      const std::string& err)
{
    std::vector<std::string> argv =
        client_command(ClientKind::burrow, host.server.port(),
                       ClientOptions{host.user_key.private_path, host.dir.file("known_hosts"), "no",
                                     "", std::move(options)},
                       "");
    argv.pop_back();  // -N: no remote command
    return std::make_unique<Process>(argv, Redirects{"/dev/null", "/dev/null", err});
}

/// `parallel_downloads` curl downloads through 127.0.0.1:`port` at once; the seconds they took
/// together, and how many arrived intact.
std::pair<double, size_t> download_all(uint16_t port, const ServedHost& host,
                                       const std::string& expected, const std::string& tag)
{
    const auto start = Clock::now();
    std::vector<std::future<bool>> results;
    for (size_t i = 0; i < parallel_downloads; ++i) {
        results.push_back(std::async(std::launch::async, [&, i] {
            const std::string out = host.dir.file(tag + std::to_string(i) + ".bin");
            const RunResult r =
                run({"curl", "-s", "-o", out, "http://127.0.0.1:" + std::to_string(port) + "/"},
                    RunOptions{host.dir.path(), download_timeout});
            return r.exit_code == 0 && sha256_of_file(out, host.dir.path()) == expected;
        }));
    }
    size_t intact = 0;
    for (auto& result : results) {
        intact += result.get() ? 1 : 0;
    }
    const std::chrono::duration<double> took = Clock::now() - start;
    return {took.count(), intact};
}

}  // namespace

TEST_CASE("a stalled receiver does not slow the other forwarded connections",
          "[forwarding-server][flow]")
{
    ServedHost served(ServerKind::burrowd);
    const std::string& file = random_file(10);
    const std::string expected = sha256_of_file(file, served.dir.path());
    EchoServer http("", file);
    // The stalled receiver asks a second forward (same SSH connection) for 64 MB: more than
    // every socket buffer and channel window on the way can absorb, so it really stalls.
    EchoServer big_http("", random_file(64));
    const uint16_t port = free_loopback_port();
    const uint16_t stall_port = free_loopback_port();
    const std::string err = served.dir.file("burrow.err");
    auto burrow = start_burrow(
        served,
        {"-N", "-L", std::to_string(port) + ":127.0.0.1:" + std::to_string(http.port()), "-L",
         std::to_string(stall_port) + ":127.0.0.1:" + std::to_string(big_http.port())},
        err);
    REQUIRE(wait_until([&] { return listening_on(port, served.dir) != "(nothing)"; }, io_timeout));
    REQUIRE(wait_until([&] { return listening_on(stall_port, served.dir) != "(nothing)"; },
                       io_timeout));
    INFO("burrow:\n" << read_text(err) << "\nburrowd:\n" << tail(served.server.log()));

    const auto [alone, intact_alone] = download_all(port, served, expected, "alone");
    REQUIRE(intact_alone == parallel_downloads);

    // The stalled receiver never reads a byte. Its channel's window fills and stays full; the
    // HTTP server blocks writing to it.
    const int stalled = connect_from("127.0.0.1", "127.0.0.1", stall_port);
    REQUIRE(stalled >= 0);
    const std::string request = "GET / HTTP/1.0\r\n\r\n";
    REQUIRE(::send(stalled, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));

    const auto [beside, intact_beside] = download_all(port, served, expected, "beside");
    ::close(stalled);
    CHECK(intact_beside == parallel_downloads);
    // The bound: generous for a shared 2-core machine, far below what head-of-line blocking
    // would give (the downloads would never finish: the stalled one never drains).
    INFO("8 x 10 MB alone: " << alone << " s; beside a stalled receiver: " << beside << " s");
    CHECK(beside < 3 * alone + 5);
    CHECK(burrow->running());
}

TEST_CASE("thousands of short forwarded connections over one SSH connection",
          "[forwarding-server][flow]")
{
    ServedHost served(ServerKind::burrowd);
    EchoServer echo;
    const uint16_t port = free_loopback_port();
    const std::string err = served.dir.file("burrow.err");
    auto burrow = start_burrow(
        served, {"-N", "-L", std::to_string(port) + ":127.0.0.1:" + std::to_string(echo.port())},
        err);
    REQUIRE(wait_until([&] { return listening_on(port, served.dir) != "(nothing)"; }, io_timeout));
    INFO("burrow:\n" << read_text(err) << "\nburrowd:\n" << tail(served.server.log()));
    const std::string small = served.dir.file("small.txt");
    write_text(small, "one forwarded connection of many\n");
    const std::string expected = sha256_of_file(small, served.dir.path());
    constexpr size_t total = 2000;
    constexpr size_t at_once = 50;
    size_t intact = 0;
    for (size_t done = 0; done < total; done += at_once) {
        std::vector<std::future<std::string>> batch;
        for (size_t i = 0; i < at_once; ++i) {
            batch.push_back(std::async(std::launch::async, [&] {
                return echo_fd(connect_from("127.0.0.1", "127.0.0.1", port), small, served.dir,
                               io_timeout);
            }));
        }
        for (auto& result : batch) {
            intact += result.get() == expected ? 1 : 0;
        }
    }
    CHECK(intact == total);
    CHECK(burrow->running());
}

}  // namespace burrow::interop_test
