// Installation (issue F "Install"): `meson install --destdir` lays out exactly the files a VPS
// needs, a reinstall keeps an edited burrowd_config, and `systemd-analyze verify` accepts the
// installed unit with its ExecStart pointing at the installed burrowd and its Documentation=
// pages found in the installed manual. systemd is not PID 1 where these tests run;
// `systemd-analyze verify` works offline (it loads the unit file and checks its syntax, that the
// commands exist and are executable, and with --man=yes that man(1) finds each man: page).
//
// The install directories come from tests/interop/meson.build (the build's own prefix,
// bindir, sbindir, sysconfdir, mandir), so the test holds for any configured prefix.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "fixtures.h"

namespace burrow::interop_test {

namespace {

namespace fs = std::filesystem;

constexpr auto install_timeout = std::chrono::seconds(120);
constexpr auto verify_timeout = std::chrono::seconds(60);

/// The build's install directories, absolute (from the environment meson sets).
struct InstallDirs {
    std::string bindir = env_or("INSTALL_BINDIR", "");
    std::string sbindir = env_or("INSTALL_SBINDIR", "");
    std::string sysconfdir = env_or("INSTALL_SYSCONFDIR", "");
    std::string mandir = env_or("INSTALL_MANDIR", "");
    std::string unitdir = env_or("INSTALL_UNITDIR", "");
};

/// Runs `meson install` of the build tree into @p destdir (no rebuild: meson test built it).
RunResult meson_install(const TempDir& scratch, const std::string& destdir)
{
    const std::vector<std::string> argv{
        "meson",        "install", "-C",        env_or("BURROW_BUILD_ROOT", "."),
        "--no-rebuild", "--quiet", "--destdir", destdir};
    RunResult result = run(argv, RunOptions{scratch.path(), install_timeout});
    INFO(describe(argv, result));
    REQUIRE(result.exit_code == 0);
    return result;
}

/// Every regular file under @p root, as absolute paths with @p root removed.
std::set<std::string> files_under(const std::string& root)
{
    std::set<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_directory()) {
            files.insert(entry.path().string().substr(root.size()));
        }
    }
    return files;
}

/// The man pages the docs ship: every NAME.N (N in 1..8) in server/ and client/ of the source
/// tree, installed as MANDIR/manN/NAME.N. Read from the tree so each page added there must also
/// be installed.
std::set<std::string> expected_man_pages(const std::string& mandir)
{
    std::set<std::string> pages;
    const std::string source_root = env_or("BURROW_SOURCE_ROOT", ".");
    for (const char* sub : {"server", "client"}) {
        for (const auto& entry : fs::directory_iterator(source_root + "/" + sub)) {
            const std::string ext = entry.path().extension().string();
            if (entry.is_regular_file() && ext.size() == 2 && ext[1] >= '1' && ext[1] <= '8') {
                pages.insert(mandir + "/man" + ext.substr(1) + "/" +
                             entry.path().filename().string());
            }
        }
    }
    return pages;
}

unsigned mode_of(const std::string& path)
{
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

/// Replace every @p from in @p text with @p to.
std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

/// `systemd-analyze verify` of @p unit_path; the unit's Documentation= man pages are looked up
/// (with man(1)) in @p man_path, the destdir's manual directory.
RunResult verify_unit(const TempDir& scratch, const std::string& unit_path,
                      const std::string& man_path)
{
    const std::vector<std::string> argv{"env",    "MANPATH=" + man_path, "systemd-analyze",
                                        "verify", "--man=yes",           unit_path};
    return run(argv, RunOptions{scratch.path(), verify_timeout});
}

/// The "#Keyword value" lines of a burrowd_config: keyword -> its values in file order. Prose
/// comments start with "# " and are not taken.
std::map<std::string, std::vector<std::string>> commented_settings(const std::string& text)
{
    std::map<std::string, std::vector<std::string>> settings;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() < 2 || line[0] != '#' ||
            !std::isupper(static_cast<unsigned char>(line[1]))) {
            continue;
        }
        const size_t space = line.find(' ');
        REQUIRE(space != std::string::npos);
        settings[line.substr(1, space - 1)].push_back(line.substr(space + 1));
    }
    return settings;
}

/// `burrowd -T -f /dev/null` with @p overrides as -o options.
RunResult dump_config(const TempDir& scratch, const std::vector<std::string>& overrides)
{
    std::vector<std::string> argv{tools().burrowd, "-T", "-f", "/dev/null"};
    for (const std::string& o : overrides) {
        argv.insert(argv.end(), {"-o", o});
    }
    return run(argv, RunOptions{scratch.path(), verify_timeout});
}

}  // namespace

TEST_CASE("meson install lays out exactly the expected files", "[install]")
{
    const InstallDirs dirs;
    REQUIRE_FALSE(dirs.sbindir.empty());
    TempDir dest;
    meson_install(dest, dest.path());

    std::set<std::string> expected{
        dirs.sbindir + "/burrowd",          dirs.bindir + "/burrow",
        dirs.bindir + "/burrow-keygen",     dirs.sysconfdir + "/burrow/burrowd_config",
        dirs.sysconfdir + "/burrow/moduli", dirs.sysconfdir + "/pam.d/burrowd",
        dirs.unitdir + "/burrowd.service",
    };
    const std::set<std::string> man_pages = expected_man_pages(dirs.mandir);
    expected.insert(man_pages.begin(), man_pages.end());
    CHECK(files_under(dest.path()) == expected);

    for (const std::string& program :
         {dirs.sbindir + "/burrowd", dirs.bindir + "/burrow", dirs.bindir + "/burrow-keygen"}) {
        INFO(program);
        CHECK((mode_of(dest.path() + program) & 0111) == 0111);
    }
    const std::string config = dest.path() + dirs.sysconfdir + "/burrow/burrowd_config";
    CHECK(mode_of(config) == 0644);
    CHECK(read_text(config) ==
          read_text(env_or("BURROW_SOURCE_ROOT", ".") + "/server/burrowd_config"));
    const std::string unit = read_text(dest.path() + dirs.unitdir + "/burrowd.service");
    CHECK(unit.find("ExecStart=" + dirs.sbindir + "/burrowd -D\n") != std::string::npos);
    CHECK(unit.find("ExecStartPre=" + dirs.sbindir + "/burrowd -t\n") != std::string::npos);
    CHECK(unit.find('@') == std::string::npos);  // every @VARIABLE@ was substituted
}

TEST_CASE("a reinstall keeps an edited burrowd_config", "[install]")
{
    const InstallDirs dirs;
    TempDir dest;
    meson_install(dest, dest.path());
    const std::string config = dest.path() + dirs.sysconfdir + "/burrow/burrowd_config";
    const std::string edited = "Port 2222\n";
    write_text(config, edited, 0600);
    meson_install(dest, dest.path());
    CHECK(read_text(config) == edited);
    CHECK(mode_of(config) == 0600);
}

TEST_CASE("systemd-analyze verify accepts the installed unit", "[install]")
{
    const InstallDirs dirs;
    TempDir dest;
    meson_install(dest, dest.path());
    const std::string unit = read_text(dest.path() + dirs.unitdir + "/burrowd.service");

    // The unit names burrowd where it will be after a real install; point it at the copy in the
    // destdir, which exists, so verify checks the installed binary.
    const std::string installed = dest.path() + dirs.sbindir + "/burrowd";
    TempDir units;
    const std::string good = units.file("burrowd.service");
    write_text(good, replace_all(unit, dirs.sbindir + "/burrowd", installed), 0644);
    const std::string man_path = dest.path() + dirs.mandir;
    const RunResult accepted = verify_unit(units, good, man_path);
    INFO("unit:\n"
         << read_text(good) << "\n"
         << describe({"systemd-analyze", "verify", good}, accepted));
    CHECK(accepted.exit_code == 0);
    CHECK(accepted.err.empty());

    // The same check fails on a unit whose binary is missing, so a pass above means something.
    TempDir broken_units;
    const std::string broken = broken_units.file("burrowd.service");
    write_text(broken, replace_all(unit, dirs.sbindir + "/burrowd", dest.file("missing/burrowd")),
               0644);
    const RunResult refused = verify_unit(broken_units, broken, man_path);
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find("missing/burrowd") != std::string::npos);
    // And on the good unit when its man pages cannot be found.
    const RunResult no_pages = verify_unit(units, good, dest.file("no-man-pages"));
    CHECK(no_pages.exit_code != 0);
    CHECK(no_pages.err.find("burrowd(8)") != std::string::npos);
}

TEST_CASE("the default burrowd_config shows every default burrowd -T prints", "[install]")
{
    TempDir scratch;
    const auto settings =
        commented_settings(read_text(env_or("BURROW_SOURCE_ROOT", ".") + "/server/burrowd_config"));
    const RunResult defaults = dump_config(scratch, {});
    REQUIRE(defaults.exit_code == 0);

    // Uncommenting a keyword's lines (all of them, for ListenAddress and HostKey) changes nothing.
    std::set<std::string> shown;
    for (const auto& [keyword, values] : settings) {
        std::string lower = keyword;
        for (char& c : lower) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        shown.insert(lower);
        std::vector<std::string> overrides;
        for (const std::string& value : values) {
            overrides.push_back(keyword + "=" + value);
        }
        const RunResult uncommented = dump_config(scratch, overrides);
        INFO(keyword << ": " << uncommented.err);
        CHECK(uncommented.exit_code == 0);
        CHECK(uncommented.out == defaults.out);
    }
    // And every keyword -T prints has its default in the file.
    std::istringstream lines(defaults.out);
    for (std::string line; std::getline(lines, line);) {
        const std::string keyword = line.substr(0, line.find(' '));
        INFO("burrowd -T prints: " << line);
        CHECK(shown.count(keyword) == 1);
    }
}

}  // namespace burrow::interop_test
