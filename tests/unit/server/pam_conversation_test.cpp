// PamConversation against real PAM (libpam) with test service files written
// to /etc/pam.d for the test (root, as the tests run in CI): every PAM
// conversation round becomes one InfoRequest, PAM_TEXT_INFO goes into the
// instruction, rounds are bounded, and destruction cancels a waiting
// conversation without running any handler.
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/pam_conversation.h"

namespace burrow::server {
namespace {

/// No such account: pam_unix prompts for its password and then fails;
/// pam_stress prompts whatever the user (and does not reuse PAM_AUTHTOK).
constexpr const char* absent_user = "burrow-no-such-user-kbdint";
constexpr auto bounded_wait = std::chrono::seconds(20);

/// A PAM service file in /etc/pam.d, removed at the end of the test.
class PamService {
public:
    explicit PamService(const std::string& lines)
        : m_name("burrowd-unit-kbdint-" + std::to_string(::getpid())),
          m_path("/etc/pam.d/" + m_name)
    {
        if (::geteuid() != 0) {
            FAIL("PamConversation tests must run as root (they write " << m_path
                                                                       << "), as they do in CI");
        }
        std::ofstream out(m_path);
        out << lines;
        REQUIRE(out.good());
    }
    ~PamService() { std::filesystem::remove(m_path); }
    PamService(const PamService&) = delete;
    PamService& operator=(const PamService&) = delete;

    const std::string& name() const { return m_name; }

private:
    std::string m_name;
    std::string m_path;
};

/// Runs one conversation on an io_context, answering each round with `answer`.
struct Run {
    boost::asio::io_context io;
    std::vector<protocol::InfoRequest> rounds;
    std::optional<bool> verdict;
    std::unique_ptr<PamConversation> conversation;

    void start(const std::string& service, const std::function<bool()>& answer_round)
    {
        conversation = std::make_unique<PamConversation>(
            io.get_executor(), service, absent_user, PasswordPolicy{true, false, "127.0.0.1"},
            [this, answer_round](const protocol::InfoRequest& request) {
                rounds.push_back(request);
                if (answer_round()) {
                    std::vector<std::string_view> answers(request.prompts.size(), "not-it");
                    conversation->answer(answers);
                }
            },
            [this](bool ok, const std::string&) { verdict = ok; });
    }

    /// Runs handlers until `done` holds; false on timeout.
    bool run_until(const std::function<bool()>& done)
    {
        const auto guard = boost::asio::make_work_guard(io);
        const auto deadline = std::chrono::steady_clock::now() + bounded_wait;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            io.run_one_for(std::chrono::milliseconds(50));
        }
        return done();
    }
};

}  // namespace

TEST_CASE("PAM keyboard-interactive: each conversation round is one InfoRequest", "[pam][kbdint]")
{
    const bool deny = GENERATE(false, true);
    INFO("final module " << (deny ? "pam_deny" : "pam_permit"));
    const PamService service(
        "auth optional pam_echo.so Welcome to the kbdint test\n"
        "auth optional pam_unix.so nodelay\n"
        "auth optional pam_stress.so\n" +
        std::string(deny ? "auth required pam_deny.so\n" : "auth required pam_permit.so\n") +
        "account required pam_permit.so\n");
    Run run;
    run.start(service.name(), [] { return true; });
    REQUIRE(run.run_until([&] { return run.verdict.has_value(); }));
    REQUIRE(run.rounds.size() == 2);
    for (const protocol::InfoRequest& round : run.rounds) {
        REQUIRE(round.prompts.size() == 1);
        CHECK_FALSE(round.prompts[0].echo);
    }
    CHECK(run.rounds[0].prompts[0].text == "Password: ");                   // pam_unix
    CHECK_THAT(run.rounds[1].prompts[0].text, Catch::Contains("assword"));  // pam_stress
    // PAM_TEXT_INFO is shown with the next prompts, once.
    CHECK(run.rounds[0].instruction == "Welcome to the kbdint test\n");
    CHECK(run.rounds[1].instruction.empty());
    CHECK(*run.verdict == !deny);
}

TEST_CASE("PAM keyboard-interactive: the rounds per attempt are bounded", "[pam][kbdint]")
{
    std::string lines;
    for (size_t i = 0; i < max_pam_rounds + 3; ++i) {
        lines += "auth optional pam_stress.so\n";  // prompts every time
    }
    const PamService service(lines +
                             "auth required pam_permit.so\naccount required pam_permit.so\n");
    Run run;
    run.start(service.name(), [] { return true; });
    REQUIRE(run.run_until([&] { return run.verdict.has_value(); }));
    CHECK(run.rounds.size() == max_pam_rounds);
}

TEST_CASE("PAM keyboard-interactive: destruction cancels a waiting conversation", "[pam][kbdint]")
{
    const PamService service("auth required pam_unix.so nodelay\naccount required pam_permit.so\n");
    Run run;
    run.start(service.name(), [] { return false; });  // the client never answers
    REQUIRE(run.run_until([&] { return !run.rounds.empty(); }));
    CHECK(run.conversation->awaiting_answers());
    const auto start = std::chrono::steady_clock::now();
    run.conversation.reset();  // joins the PAM thread: must not hang
    CHECK(std::chrono::steady_clock::now() - start < bounded_wait);
    // Nothing runs after destruction, even what the thread posted last.
    run.io.run_for(std::chrono::milliseconds(100));
    CHECK_FALSE(run.verdict.has_value());
    CHECK(run.rounds.size() == 1);
}

}  // namespace burrow::server
