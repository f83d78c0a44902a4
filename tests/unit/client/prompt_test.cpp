// read_secret / read_line through SSH_ASKPASS as ssh(1) ENVIRONMENT describes.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>

#include "client/prompt.h"
#include "test_util.h"

namespace bcl = burrow::client;

using burrow::client::test::EnvVar;

namespace {

std::string make_script(const bcl::test::TempDir& dir, const std::string& name,
                        const std::string& body)
{
    const std::string path = dir.file(name);
    bcl::test::write_file(path, "#!/bin/sh\n" + body + "\n");
    ::chmod(path.c_str(), 0700);
    return path;
}

}  // namespace

TEST_CASE("SSH_ASKPASS_REQUIRE=force runs the askpass program with the prompt", "[prompt]")
{
    bcl::test::TempDir dir;
    // The answer proves the prompt arrived as argv[1].
    const std::string askpass = make_script(dir, "askpass", "printf 'answer to %s\\n' \"$1\"");
    EnvVar a("SSH_ASKPASS", askpass.c_str());
    EnvVar r("SSH_ASKPASS_REQUIRE", "force");
    EnvVar d("DISPLAY", nullptr);
    const auto secret = bcl::read_secret("Passphrase: ");
    REQUIRE(secret);
    CHECK(*secret == "answer to Passphrase: ");
    const auto line = bcl::read_line("Code: ", true);
    REQUIRE(line);
    CHECK(*line == "answer to Code: ");

    bcl::PromptPolicy batch;
    batch.batch_mode = true;
    CHECK_FALSE(bcl::read_secret("Passphrase: ", batch));
}

TEST_CASE("a failing askpass program means cancelled", "[prompt]")
{
    bcl::test::TempDir dir;
    const std::string askpass = make_script(dir, "askpass", "echo partial; exit 1");
    EnvVar a("SSH_ASKPASS", askpass.c_str());
    EnvVar r("SSH_ASKPASS_REQUIRE", "force");
    CHECK_FALSE(bcl::read_secret("Password: "));
}

TEST_CASE("SSH_ASKPASS_REQUIRE=prefer needs a display", "[prompt]")
{
    bcl::test::TempDir dir;
    const std::string askpass = make_script(dir, "askpass", "echo from-askpass");
    EnvVar a("SSH_ASKPASS", askpass.c_str());
    EnvVar r("SSH_ASKPASS_REQUIRE", "prefer");
    EnvVar w("WAYLAND_DISPLAY", nullptr);
    EnvVar d("DISPLAY", ":99");
    const auto secret = bcl::read_secret("P: ");
    REQUIRE(secret);
    CHECK(*secret == "from-askpass");
}

TEST_CASE("wipe clears a secret", "[prompt]")
{
    std::string s = "hunter2";
    bcl::wipe(s);
    CHECK(s.empty());
}
