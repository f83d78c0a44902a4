// utmp/wtmp/lastlog records, checked through the real who(1) and last(1)
// on temporary files, and the motd/nologin texts.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <utmp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "server/login_records.h"

namespace {

using burrow::server::LoginRecord;
using burrow::server::LoginRecordFiles;

/// A fresh directory under $TMPDIR, removed with its contents at scope exit.
class TempDir {
public:
    TempDir()
    {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/burrow-login-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

void write_file(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

/// stdout of a shell command; fails the test unless it exits with 0.
std::string run_tool(const std::string& command)
{
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        output.append(buffer, n);
    }
    const int raw = ::pclose(pipe);
    INFO(command << " printed:\n" << output);
    REQUIRE(WIFEXITED(raw));
    REQUIRE(WEXITSTATUS(raw) == 0);
    return output;
}

/// Temp record files as login(1) expects them: utmp and wtmp exist (empty).
LoginRecordFiles temp_files(const TempDir& dir)
{
    LoginRecordFiles files{dir.file("utmp"), dir.file("wtmp"), dir.file("lastlog")};
    write_file(files.utmp, "");
    write_file(files.wtmp, "");
    return files;
}

LoginRecord sample_record()
{
    LoginRecord r;
    r.pid = ::getpid();  // alive, so no tool drops the entry as stale
    r.user = "burrowtest";
    r.uid = 4242;
    r.tty = "/dev/pts/37";
    r.host = "127.0.0.1";
    return r;
}

}  // namespace

TEST_CASE("utmp line and id come from the tty name", "[login_records]")
{
    CHECK(burrow::server::tty_line("/dev/pts/3") == "pts/3");
    CHECK(burrow::server::tty_id("/dev/pts/3") == "ts/3");
    CHECK(burrow::server::tty_id("/dev/pts/123") == "/123");
    CHECK(burrow::server::tty_line("/dev/tty1") == "tty1");
    CHECK(burrow::server::tty_id("/dev/tty1") == "tty1");
    CHECK(burrow::server::tty_id("/dev/x") == "x");
}

TEST_CASE("who lists a recorded login until its logout", "[login_records]")
{
    const TempDir dir;
    const LoginRecordFiles files = temp_files(dir);
    const LoginRecord r = sample_record();
    CHECK(run_tool("who " + files.utmp).find("burrowtest") == std::string::npos);

    burrow::server::record_login(r, files);
    const std::string listed = run_tool("who " + files.utmp);
    INFO("who printed: " << listed);
    CHECK(listed.find("burrowtest") != std::string::npos);
    CHECK(listed.find("pts/37") != std::string::npos);
    CHECK(listed.find("(127.0.0.1)") != std::string::npos);

    burrow::server::record_logout(r, files);
    const std::string after = run_tool("who " + files.utmp);
    INFO("who after logout printed: " << after);
    CHECK(after.find("burrowtest") == std::string::npos);
    CHECK(after.find("pts/37") == std::string::npos);
}

TEST_CASE("last shows the login with its address and logout", "[login_records]")
{
    const TempDir dir;
    const LoginRecordFiles files = temp_files(dir);
    LoginRecord r = sample_record();
    r.host = "::ffff:192.0.2.7";  // an IPv4 peer on a dual-stack socket

    burrow::server::record_login(r, files);
    // -w: full user names; -i: the address from ut_addr_v6, not ut_host.
    const std::string open = run_tool("last -w -i -f " + files.wtmp);
    INFO("last printed: " << open);
    CHECK(open.find("burrowtest") != std::string::npos);
    CHECK(open.find("pts/37") != std::string::npos);
    CHECK(open.find("192.0.2.7") != std::string::npos);
    // No logout yet: "still logged in", or "gone - no logout" when last(1)
    // finds that the pid's loginuid is not the user's (no pam_loginuid here).
    const bool unmatched =
        open.find("logged in") != std::string::npos || open.find("no logout") != std::string::npos;
    CHECK(unmatched);

    burrow::server::record_logout(r, files);
    const std::string closed = run_tool("last -w -f " + files.wtmp);
    INFO("last after logout printed: " << closed);
    CHECK(closed.find("burrowtest") != std::string::npos);
    CHECK(closed.find("::ffff:192.0.2.7") != std::string::npos);
    // Paired with the logout: "- 11:25 (00:00)", or "still running" when
    // the logout lies in the very second last(1) started (its own rule).
    CHECK(closed.find("logged in") == std::string::npos);
    CHECK(closed.find("no logout") == std::string::npos);
    const bool paired = closed.find("(00:00)") != std::string::npos ||
                        closed.find("still running") != std::string::npos;
    CHECK(paired);
}

TEST_CASE("an IPv6 peer is stored in ut_addr_v6", "[login_records]")
{
    const TempDir dir;
    const LoginRecordFiles files = temp_files(dir);
    LoginRecord r = sample_record();
    r.host = "2001:db8::5";
    burrow::server::record_login(r, files);
    const std::string shown = run_tool("last -w -i -f " + files.wtmp);
    INFO("last printed: " << shown);
    CHECK(shown.find("2001:db8::5") != std::string::npos);
}

TEST_CASE("lastlog keeps the last login per uid", "[login_records]")
{
    const TempDir dir;
    const LoginRecordFiles files = temp_files(dir);
    const LoginRecord r = sample_record();
    CHECK_FALSE(burrow::server::last_login_message(r.uid, files).has_value());  // no file yet

    burrow::server::record_login(r, files);
    const std::optional<std::string> message = burrow::server::last_login_message(r.uid, files);
    REQUIRE(message.has_value());
    INFO(*message);
    CHECK(message->rfind("Last login: ", 0) == 0);
    const std::string suffix = " from 127.0.0.1";
    REQUIRE(message->size() > suffix.size());
    CHECK(message->compare(message->size() - suffix.size(), suffix.size(), suffix) == 0);
    // The year of "now" appears: the time was stored, not left at zero.
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    REQUIRE(::localtime_r(&now, &local) != nullptr);
    CHECK(message->find(std::to_string(local.tm_year + 1900)) != std::string::npos);

    // The entry sits at uid * sizeof(struct lastlog); other uids stay empty.
    CHECK(std::filesystem::file_size(files.lastlog) == (r.uid + 1) * sizeof(struct lastlog));
    CHECK_FALSE(burrow::server::last_login_message(r.uid - 1, files).has_value());
    CHECK_FALSE(burrow::server::last_login_message(r.uid + 1, files).has_value());
}

TEST_CASE("missing record files are logged, not thrown", "[login_records]")
{
    const TempDir dir;
    const LoginRecordFiles files{dir.file("no/utmp"), dir.file("no/wtmp"), dir.file("no/lastlog")};
    const LoginRecord r = sample_record();
    CHECK_NOTHROW(burrow::server::record_login(r, files));
    CHECK_NOTHROW(burrow::server::record_logout(r, files));
    CHECK_FALSE(burrow::server::last_login_message(r.uid, files).has_value());
    CHECK_FALSE(std::filesystem::exists(dir.file("no")));
}

TEST_CASE("a session without a tty is not recorded", "[login_records]")
{
    const TempDir dir;
    const LoginRecordFiles files = temp_files(dir);
    LoginRecord r = sample_record();
    r.tty.clear();
    burrow::server::record_login(r, files);
    burrow::server::record_logout(r, files);
    CHECK(std::filesystem::file_size(files.utmp) == 0);
    CHECK(std::filesystem::file_size(files.wtmp) == 0);
    CHECK_FALSE(burrow::server::last_login_message(r.uid, files).has_value());
}

TEST_CASE("motd text is read and bounded", "[login_records]")
{
    const TempDir dir;
    CHECK(burrow::server::motd_text(dir.file("missing")).empty());
    write_file(dir.file("motd"), "Welcome to burrow\n");
    CHECK(burrow::server::motd_text(dir.file("motd")) == "Welcome to burrow\n");
    write_file(dir.file("big"), std::string(burrow::server::max_login_text_bytes + 100, 'x'));
    CHECK(burrow::server::motd_text(dir.file("big")).size() ==
          burrow::server::max_login_text_bytes);
}

TEST_CASE("the Banner text is read unless none, missing or empty", "[login_records]")
{
    const TempDir dir;
    CHECK_FALSE(burrow::server::banner_text("").has_value());  // Banner none
    CHECK_FALSE(burrow::server::banner_text(dir.file("missing")).has_value());
    write_file(dir.file("empty"), "");
    CHECK_FALSE(burrow::server::banner_text(dir.file("empty")).has_value());
    write_file(dir.file("banner"), "Authorized use only\n");
    CHECK(burrow::server::banner_text(dir.file("banner")) == "Authorized use only\n");
}

TEST_CASE("nologin refuses users other than root", "[login_records]")
{
    const TempDir dir;
    const std::vector<std::string> paths{dir.file("etc_nologin"), dir.file("run_nologin")};
    CHECK_FALSE(burrow::server::nologin_message(1000, paths).has_value());

    write_file(paths[1], "System maintenance until noon\n");
    const std::optional<std::string> message = burrow::server::nologin_message(1000, paths);
    REQUIRE(message.has_value());
    CHECK(*message == "System maintenance until noon\n");
    CHECK_FALSE(burrow::server::nologin_message(0, paths).has_value());

    write_file(paths[0], "");  // an empty file refuses too, with no text
    const std::optional<std::string> empty = burrow::server::nologin_message(1000, paths);
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
}
