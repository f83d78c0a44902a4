// PamSession against real PAM (libpam), as root (as the tests run in CI):
// the shipped server/pam.d/burrowd stack opens and closes a session for a
// test user and passes pam_env's variables on; module messages are kept;
// a refusing account or session stack refuses the session.
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "server/pam_session.h"

namespace burrow::server {
namespace {

/// A user of its own, so that its ~/.pam_environment cannot disturb other
/// tests logging in as burrowtest at the same time.
constexpr const char* session_user = "burrowpamsess";

void require_root()
{
    if (::geteuid() != 0) {
        FAIL("PamSession tests must run as root (they write /etc/pam.d and create the user "
             << session_user << "), as they do in CI");
    }
}

/// The test user's home, creating the user (useradd -m) if needed.
std::string ensure_user()
{
    require_root();
    if (::getpwnam(session_user) == nullptr) {
        const std::string command = std::string("useradd -m -s /bin/sh ") + session_user;
        INFO(command);
        REQUIRE(std::system(command.c_str()) == 0);
    }
    const passwd* pw = ::getpwnam(session_user);
    REQUIRE(pw != nullptr);
    REQUIRE(std::filesystem::is_directory(pw->pw_dir));
    return pw->pw_dir;
}

/// A PAM service file in /etc/pam.d, removed at the end of the test.
class PamService {
public:
    PamService(const std::string& tag, const std::string& lines)
        : m_name("burrowd-unit-session-" + tag + "-" + std::to_string(::getpid())),
          m_path("/etc/pam.d/" + m_name)
    {
        require_root();
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

/// A file owned by the test user, removed at the end of the test.
class UserFile {
public:
    UserFile(const std::string& path, const std::string& text) : m_path(path)
    {
        std::ofstream out(m_path, std::ios::trunc);
        out << text;
        REQUIRE(out.good());
        out.close();
        const passwd* pw = ::getpwnam(session_user);
        REQUIRE(pw != nullptr);
        REQUIRE(::chown(m_path.c_str(), pw->pw_uid, pw->pw_gid) == 0);
    }
    ~UserFile() { std::filesystem::remove(m_path); }
    UserFile(const UserFile&) = delete;
    UserFile& operator=(const UserFile&) = delete;

private:
    std::string m_path;
};

std::string shipped_service_text()
{
    std::ifstream in(BURROW_SOURCE_DIR "/server/pam.d/burrowd");
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool contains(const std::vector<std::string>& list, const std::string& item)
{
    for (const std::string& entry : list) {
        if (entry == item) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("the shipped PAM stack opens a session with pam_env's variables", "[pam_session]")
{
    const std::string home = ensure_user();
    const UserFile env_file(home + "/.pam_environment",
                            "BURROW_PAM_SESSION_TEST DEFAULT=from-pam-env\n");
    const PamService service("shipped", shipped_service_text());

    for (const std::string tty : {"/dev/pts/7", ""}) {
        INFO("tty \"" << tty << "\"");
        std::string error;
        std::unique_ptr<PamSession> session =
            PamSession::open(session_user, "127.0.0.1", tty, error, service.name());
        INFO("error: " << error);
        REQUIRE(session != nullptr);
        CHECK(error.empty());
        const std::vector<std::string> env = session->environment();
        CHECK(contains(env, "BURROW_PAM_SESSION_TEST=from-pam-env"));
        session.reset();  // closes the session: must not crash or throw
    }
}

TEST_CASE("PAM session messages are kept for the session", "[pam_session]")
{
    ensure_user();
    const PamService service("echo",
                             "auth required pam_permit.so\n"
                             "account required pam_permit.so\n"
                             "session optional pam_echo.so Welcome %u\n");
    std::string error;
    const std::unique_ptr<PamSession> session =
        PamSession::open(session_user, "127.0.0.1", "/dev/pts/7", error, service.name());
    INFO("error: " << error);
    REQUIRE(session != nullptr);
    CHECK(session->messages() == std::string("Welcome ") + session_user + "\n");
}

TEST_CASE("a refusing account or session stack refuses the session", "[pam_session]")
{
    ensure_user();
    const std::string account = GENERATE(as<std::string>{}, "deny", "permit");
    const std::string session_module = account == "deny" ? "permit" : "deny";
    INFO("account pam_" << account << ", session pam_" << session_module);
    const PamService service("deny",
                             "auth required pam_permit.so\n"
                             "account required pam_" +
                                 account +
                                 ".so\n"
                                 "session required pam_" +
                                 session_module + ".so\n");
    std::string error;
    const std::unique_ptr<PamSession> session =
        PamSession::open(session_user, "127.0.0.1", "", error, service.name());
    CHECK(session == nullptr);
    CHECK(error.find(account == "deny" ? "pam_acct_mgmt" : "pam_open_session") !=
          std::string::npos);
}

TEST_CASE("an unknown user gets no session", "[pam_session]")
{
    const PamService service("shipped-unknown", shipped_service_text());
    std::string error;
    const std::unique_ptr<PamSession> session =
        PamSession::open("burrow-no-such-user-session", "127.0.0.1", "", error, service.name());
    CHECK(session == nullptr);
    CHECK_FALSE(error.empty());
}

}  // namespace burrow::server
