// StrictHostKeyChecking policy: what is accepted, refused and recorded.
#include <catch2/catch.hpp>

#include "client/host_verifier.h"
#include "client/known_hosts.h"
#include "crypto/key_files.h"
#include "test_util.h"

namespace client = burrow::client;
using client::StrictHostKeyChecking;
using client::test::read_file;
using client::test::TempDir;
using client::test::write_file;

namespace {

std::string entry(const std::string& name, const burrow::Bytes& blob)
{
    return name + " " + client::key_type_of_blob(blob) + " " + burrow::crypto::base64_encode(blob) +
           "\n";
}

client::Settings settings_for(const TempDir& dir, StrictHostKeyChecking strict)
{
    client::Settings s;
    s.host = "server.test";
    s.port = 2222;
    s.user_known_hosts_files = {dir.file("kh_user"), dir.file("kh_second")};
    s.global_known_hosts_files = {dir.file("kh_global")};
    s.strict_host_key_checking = strict;
    s.batch_mode = true;  // never prompt in tests
    return s;
}

bool verify(const client::Settings& s, const burrow::Bytes& blob)
{
    const client::Logger quiet(client::LogLevel::quiet);
    return client::HostVerifier(s, quiet).verify(blob);
}

}  // namespace

TEST_CASE("unknown hosts by StrictHostKeyChecking", "[client][verifier]")
{
    TempDir dir;
    const auto key = client::test::test_key_blob(21);
    SECTION("yes and ask (batch) refuse and record nothing")
    {
        CHECK_FALSE(verify(settings_for(dir, StrictHostKeyChecking::yes), key));
        CHECK_FALSE(verify(settings_for(dir, StrictHostKeyChecking::ask), key));
        CHECK(read_file(dir.file("kh_user")).empty());
    }
    SECTION("accept-new and no record in the first user file")
    {
        for (const auto strict : {StrictHostKeyChecking::accept_new, StrictHostKeyChecking::no}) {
            TempDir fresh;
            CHECK(verify(settings_for(fresh, strict), key));
            CHECK(read_file(fresh.file("kh_user")) == entry("[server.test]:2222", key));
            CHECK(read_file(fresh.file("kh_second")).empty());
            // Now known: strict checking accepts it.
            CHECK(verify(settings_for(fresh, StrictHostKeyChecking::yes), key));
        }
    }
}

TEST_CASE("known, changed and revoked keys", "[client][verifier]")
{
    TempDir dir;
    const auto key = client::test::test_key_blob(22);
    const auto other = client::test::test_key_blob(23);
    SECTION("a key in a later or global file is known")
    {
        write_file(dir.file("kh_global"), entry("[server.test]:2222", key));
        CHECK(verify(settings_for(dir, StrictHostKeyChecking::yes), key));
    }
    SECTION("a changed key is refused unless checking is off, and never rewritten")
    {
        const std::string recorded = entry("[server.test]:2222", other);
        write_file(dir.file("kh_user"), recorded);
        CHECK_FALSE(verify(settings_for(dir, StrictHostKeyChecking::yes), key));
        CHECK_FALSE(verify(settings_for(dir, StrictHostKeyChecking::accept_new), key));
        CHECK_FALSE(verify(settings_for(dir, StrictHostKeyChecking::ask), key));
        CHECK(verify(settings_for(dir, StrictHostKeyChecking::no), key));
        CHECK(read_file(dir.file("kh_user")) == recorded);
    }
    SECTION("a revoked key is refused even with checking off")
    {
        write_file(dir.file("kh_second"),
                   "@revoked " + entry("[*.test]:2222", key) + entry("[server.test]:2222", key));
        CHECK_FALSE(verify(settings_for(dir, StrictHostKeyChecking::no), key));
    }
}
