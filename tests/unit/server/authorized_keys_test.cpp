#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "crypto/rng.h"
#include "server/authorized_keys.h"

namespace {

struct Keys {
    std::unique_ptr<burrow::crypto::Rng> rng = burrow::crypto::make_seeded_rng(42);
    std::unique_ptr<burrow::crypto::PrivateKey> a = burrow::crypto::generate_ed25519(*rng);
    std::unique_ptr<burrow::crypto::PrivateKey> b = burrow::crypto::generate_ed25519(*rng);
    std::unique_ptr<burrow::crypto::PrivateKey> c = burrow::crypto::generate_ed25519(*rng);

    static std::string line(const burrow::crypto::PrivateKey& k, const std::string& comment)
    {
        return burrow::crypto::format_public_key_line(k.public_key(), comment);
    }
};

struct Skips {
    std::vector<std::pair<size_t, std::string>> lines;
    burrow::server::SkippedLine callback()
    {
        return [this](size_t n, std::string_view why) { lines.emplace_back(n, why); };
    }
};

}  // namespace

TEST_CASE("authorized_keys: finds the matching key and its line", "[authorized_keys]")
{
    const Keys keys;
    const std::string text = "# my keys\n\n" + Keys::line(*keys.a, "alice@a") + "\n" +
                             Keys::line(*keys.b, "") + "\r\n   " + Keys::line(*keys.c, "x y z");
    Skips skips;
    REQUIRE(burrow::server::find_authorized_key(text, keys.a->public_key().blob(),
                                                skips.callback()) == 3);
    REQUIRE(burrow::server::find_authorized_key(text, keys.b->public_key().blob(),
                                                skips.callback()) == 4);
    REQUIRE(burrow::server::find_authorized_key(text, keys.c->public_key().blob(),
                                                skips.callback()) == 5);
    REQUIRE(skips.lines.empty());
}

TEST_CASE("authorized_keys: a key that is not listed does not match", "[authorized_keys]")
{
    const Keys keys;
    const std::string text = Keys::line(*keys.a, "a") + "\n" + Keys::line(*keys.b, "b") + "\n";
    REQUIRE_FALSE(burrow::server::find_authorized_key(text, keys.c->public_key().blob(), nullptr));
    REQUIRE_FALSE(burrow::server::find_authorized_key("", keys.c->public_key().blob(), nullptr));
    // A blob that is a prefix of a listed one must not match.
    const auto& blob = keys.a->public_key().blob();
    const burrow::ByteView prefix(blob.data(), blob.size() - 1);
    REQUIRE_FALSE(burrow::server::find_authorized_key(text, prefix, nullptr));
}

TEST_CASE("authorized_keys: options are parsed; bad lines are skipped and reported",
          "[authorized_keys]")
{
    const Keys keys;
    const std::string text = "no-pty,command=\"/bin/true\" " + Keys::line(*keys.a, "a") + "\n" +
                             "ssh-ed25519 !!!notbase64\n" + "bogus-option " +
                             Keys::line(*keys.b, "b") + "\n" + "command=\"unterminated " +
                             Keys::line(*keys.b, "b") + "\n" + Keys::line(*keys.b, "b") + "\n";
    Skips skips;
    const auto found =
        burrow::server::find_authorized_keys(text, keys.a->public_key().blob(), skips.callback());
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].line == 1);
    REQUIRE(found[0].options.command == "/bin/true");
    REQUIRE_FALSE(found[0].options.pty);
    REQUIRE(skips.lines.size() == 3);
    REQUIRE(skips.lines[0].first == 2);
    REQUIRE(skips.lines[0].second == "malformed or unsupported key");
    REQUIRE(skips.lines[1].first == 3);
    REQUIRE(skips.lines[1].second == "bad key options: unknown option \"bogus-option\"");
    REQUIRE(skips.lines[2].first == 4);
    REQUIRE(skips.lines[2].second == "bad key options: unterminated quote");
    REQUIRE(burrow::server::find_authorized_key(text, keys.b->public_key().blob(), nullptr) == 5);
}

TEST_CASE("authorized_keys: every matching entry is returned; cert-authority is not a key",
          "[authorized_keys]")
{
    const Keys keys;
    const std::string text = "cert-authority " + Keys::line(*keys.a, "ca") + "\n" +
                             "from=\"10.0.0.1\" " + Keys::line(*keys.a, "") + "\n" +
                             Keys::line(*keys.a, "") + "\n";
    const auto found =
        burrow::server::find_authorized_keys(text, keys.a->public_key().blob(), nullptr);
    REQUIRE(found.size() == 2);
    REQUIRE(found[0].line == 2);
    REQUIRE(found[0].options.from == "10.0.0.1");
    REQUIRE(found[1].line == 3);
    REQUIRE_FALSE(found[1].options.from);
}
