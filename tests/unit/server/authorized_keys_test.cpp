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

TEST_CASE("authorized_keys: lines with options are skipped and reported", "[authorized_keys]")
{
    const Keys keys;
    const std::string text = "no-pty,command=\"/bin/true\" " + Keys::line(*keys.a, "a") + "\n" +
                             "ssh-ed25519 !!!notbase64\n" + Keys::line(*keys.b, "b") + "\n";
    Skips skips;
    REQUIRE_FALSE(
        burrow::server::find_authorized_key(text, keys.a->public_key().blob(), skips.callback()));
    REQUIRE(skips.lines.size() == 2);
    REQUIRE(skips.lines[0].first == 1);
    REQUIRE(skips.lines[0].second == "key options are not supported yet");
    REQUIRE(skips.lines[1].first == 2);
    REQUIRE(skips.lines[1].second == "malformed or unsupported key");
    REQUIRE(burrow::server::find_authorized_key(text, keys.b->public_key().blob(), nullptr) == 3);
}
