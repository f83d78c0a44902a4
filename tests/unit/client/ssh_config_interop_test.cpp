// burrow -G against OpenSSH's ssh -G: the same ssh_config(5) file (Host,
// Match with negation / exec / final, Include) must give the same values for
// every keyword both print, for several destinations. burrow's path comes
// from $BURROW (set by meson's test()).
#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "test_util.h"

namespace test = burrow::client::test;

namespace {

/// Keywords whose -G lines must be equal (repeated ones in the same order).
bool compared(const std::string& keyword)
{
    static const std::vector<std::string> keywords = {
        "hostname",       "user",
        "port",           "identityfile",
        "requesttty",     "escapechar",
        "sendenv",        "setenv",
        "forwardagent",   "batchmode",
        "identitiesonly", "stricthostkeychecking",
        "compression",    "userknownhostsfile",
    };
    return std::find(keywords.begin(), keywords.end(), keyword) != keywords.end();
}

std::vector<std::string> compared_lines(const std::string& output)
{
    std::vector<std::string> lines;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
        if (compared(line.substr(0, line.find(' ')))) {
            lines.push_back(line);
        }
    }
    std::stable_sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
        return a.substr(0, a.find(' ')) < b.substr(0, b.find(' '));
    });
    return lines;
}

std::string login_user()
{
    const passwd* pw = ::getpwuid(::getuid());
    REQUIRE(pw != nullptr);
    return pw->pw_name;
}

std::string config_text(const test::TempDir& dir)
{
    // The Include comes first: below a Match block it would only apply
    // where that block does.
    return "# burrow/ssh -G comparison\n"
           "Include " +
           dir.file("inc") +
           "/*.conf\n"
           "Host alias1\n"
           "  HostName real1.example\n"
           "  User u1\n"
           "  Port 2201\n"
           "  IdentityFile /keys/%h-%r-%p\n"
           "  IdentityFile \"/keys/with space\"\n"
           "  RequestTTY force\n"
           "  EscapeChar ^]\n"
           "Host CAPS\n"
           "  Port 2400\n"
           "Host alias2\n"
           "  HostName=real2.lan\n"
           "  SendEnv ALIAS2\n"
           "Host real2.lan\n"
           "  SendEnv REAL2\n"
           "Host *.corp !bad.corp\n"
           "  User corp\n"
           "  ForwardAgent yes\n"
           "  SendEnv LANG LC_*\n"
           "  StrictHostKeyChecking accept-new\n"
           "Match originalhost neg* !host nothing\n"
           "  SetEnv A=1 B=\"x y\"\n"
           "  EscapeChar none\n"
           "Match host real2.*\n"
           "  Port 2202\n"
           "  BatchMode yes\n"
           "Match localuser " +
           login_user() +
           " exec \"test %n = exec-host\"\n"
           "  User execuser\n"
           "Match final host *.internal\n"
           "  UserKnownHostsFile /kh/%h_%p_%r_%n_%%\n"
           "  IdentitiesOnly yes\n"
           "Host *\n"
           "  IdentityFile ~/.ssh/common_%u\n"
           "  SendEnv -LC_* TERM\n"
           "  StrictHostKeyChecking no\n"
           "  RequestTTY no\n"
           "  ForwardAgent no\n"
           "  Compression yes\n";
}

std::string burrow_binary()
{
    const char* path = std::getenv("BURROW");
    INFO("$BURROW must name the burrow binary (meson's test() sets it)");
    REQUIRE(path != nullptr);
    return test::shell_quote(path);
}

test::CommandResult print_config(const std::string& program, const std::string& config,
                                 const std::string& destination, const test::TempDir& dir)
{
    return test::run_command(program + " -F " + test::shell_quote(config) + " -G " +
                             test::shell_quote(destination) + " </dev/null 2>" +
                             test::shell_quote(dir.file("stderr")));
}

}  // namespace

TEST_CASE("burrow -G matches ssh -G for Host/Match/Include files", "[client][config][interop]")
{
    const test::TempDir dir;
    std::filesystem::create_directories(dir.file("inc"));
    test::write_file(dir.file("inc/10-inc.conf"),
                     "Host inc-*\n  User included\n  HostName %h.internal\n  EscapeChar x\n");
    test::write_file(dir.file("inc/20-other.conf"), "Host *.corp\n  Port 2300\n");
    const std::string config = dir.file("config");
    test::write_file(config, config_text(dir));
    for (const std::string destination : {"alias1", "alias2", "a.corp", "bad.corp", "negx", "inc-1",
                                          "exec-host", "someone@other", "CAPS", "caps"}) {
        INFO("destination " << destination);
        const test::CommandResult theirs = print_config("ssh", config, destination, dir);
        INFO(test::read_file(dir.file("stderr")));
        REQUIRE(theirs.status == 0);
        const test::CommandResult ours = print_config(burrow_binary(), config, destination, dir);
        INFO(test::read_file(dir.file("stderr")));
        REQUIRE(ours.status == 0);
        const std::vector<std::string> expected = compared_lines(theirs.output);
        if (destination == "inc-1") {
            // The included file and the final pass both took part.
            CHECK(std::count(expected.begin(), expected.end(), "hostname inc-1.internal") == 1);
            CHECK(std::count(expected.begin(), expected.end(), "escapechar x") == 1);
        }
        REQUIRE(expected.size() >= 11);  // sendenv / setenv only when set
        CHECK(compared_lines(ours.output) == expected);
    }
}

TEST_CASE("burrow and ssh refuse the same malformed file at the same line",
          "[client][config][interop]")
{
    const test::TempDir dir;
    const std::string config = dir.file("config");
    test::write_file(config, "Host x\n  User ok\nHost y\n  NoSuchKeyword 1\n");
    const test::CommandResult theirs = print_config("ssh", config, "x", dir);
    const std::string their_error = test::read_file(dir.file("stderr"));
    const test::CommandResult ours = print_config(burrow_binary(), config, "x", dir);
    const std::string our_error = test::read_file(dir.file("stderr"));
    CHECK(theirs.status == 255);
    CHECK(ours.status == 255);
    CHECK_THAT(their_error, Catch::Contains("line 4: Bad configuration option"));
    CHECK_THAT(our_error, Catch::Contains("line 4: Bad configuration option: NoSuchKeyword"));
}
