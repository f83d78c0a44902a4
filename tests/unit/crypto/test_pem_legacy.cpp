// Legacy OpenSSL-encrypted PEM private keys ("Proc-Type: 4,ENCRYPTED"):
// files made by ssh-keygen -m PEM -N at test time (AES-128-CBC), and fixed
// files made once with `openssl ec -aes256 / -des3 / -aes192` from one
// ssh-keygen P-256 key (passphrase "legacy pass"), checked against its
// public key. Wrong and missing passphrases fail cleanly.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "tests/unit/crypto/test_util.h"

using burrow::crypto::test::run_command;
using burrow::crypto::test::slurp;
using burrow::crypto::test::TempDir;
namespace bc = burrow::crypto;
namespace fs = std::filesystem;

namespace {

constexpr const char* fixed_public =
    "ecdsa-sha2-nistp256 "
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLC35xc2UdmjEDDMhvk//CDDPMznTQzE8/"
    "UjrDSmxWmHplMmNF4azDhfduY+TeKcKtPNXLc5rQeIVxNKfaZyqc8=";

constexpr const char* fixed_aes256 =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "Proc-Type: 4,ENCRYPTED\n"
    "DEK-Info: AES-256-CBC,70E3108D9473D147F6D7540936E7A036\n"
    "\n"
    "A8uWWJOPeYNj0rtFWvjimFM4motMO6HLZNmzsv5jTna0d/5cqWJeipBw4nX+Ba48\n"
    "FN1B6vHnTmI9Eb11NCZVeUMTpGNmk0x8nvEkTEf/9t48LNJ8OgCLNFUK8xJMLZfF\n"
    "rFrqwD7IqPRC9hB5piWT+O1bBGbKWNo9uHIxWIsYKNU=\n"
    "-----END EC PRIVATE KEY-----\n";

constexpr const char* fixed_des3 =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "Proc-Type: 4,ENCRYPTED\n"
    "DEK-Info: DES-EDE3-CBC,3A8FB1EDD9B91F8E\n"
    "\n"
    "vMfGnOfXHStDWq5CVq674eu5nzCplD33B2XOac+vtWHvwP0+xEBWqwTWyAyNpakk\n"
    "joh9a/lP89CCxb91Ddvl37aum2/vLo0jAIziPTAZQI4BTwBytArCtVnTdgWgs4cB\n"
    "iXvnbs2Xqz8EFwHlOxSp0y7JA0R5JrA5rI8YVMmWDDY=\n"
    "-----END EC PRIVATE KEY-----\n";

constexpr const char* fixed_aes192 =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "Proc-Type: 4,ENCRYPTED\n"
    "DEK-Info: AES-192-CBC,EF5EDF0F21A6168FC6EF098401898D7C\n"
    "\n"
    "7vd3/vjEZQAohud5n9XFVb2+46jjx31RJb5p79+NE/mp4wQCva4u0qhB3MeG9m8+\n"
    "LhPrDaz7gZGkUjSEprf4p2BUzcPW77G9+XSxVXNc708E9jVUtw15P8ZpBkTWoLfa\n"
    "Av6kgSsZbdHg3KXSGAXRQQ0XNx4jvVQKZkrJvIpDXiI=\n"
    "-----END EC PRIVATE KEY-----\n";

/// Loads with `passphrase` and checks the key against `public_line`, by blob and by a signature.
void check_loads(const std::string& text, std::string_view passphrase,
                 const std::string& public_line)
{
    const auto pub = bc::parse_public_key_line(public_line);
    REQUIRE(pub);
    const auto loaded = bc::parse_private_key_file(text, passphrase);
    REQUIRE(loaded.loaded);
    CHECK(loaded.loaded->key->public_key().blob() == pub->key->blob());
    auto rng = bc::make_system_rng();
    const burrow::Bytes data{1, 2, 3};
    const std::string alg = bc::signature_algorithms_for(pub->key->key_type()).front();
    CHECK(pub->key->verify(alg, data, loaded.loaded->key->sign(alg, data, *rng)));
}

void check_refuses(const std::string& text)
{
    CHECK(bc::parse_private_key_file(text, std::nullopt).error == bc::KeyFileError::encrypted);
    CHECK(bc::parse_private_key_file(text, std::string_view("wrong")).error ==
          bc::KeyFileError::bad_passphrase);
    CHECK(bc::parse_private_key_file(text, std::string_view("")).error ==
          bc::KeyFileError::bad_passphrase);
}

}  // namespace

TEST_CASE("legacy encrypted PEM keys from ssh-keygen -m PEM -N", "[keyfile][pem][legacy]")
{
    const char* const args =
        GENERATE("-t rsa -b 2048", "-t ecdsa -b 256", "-t ecdsa -b 384", "-t ecdsa -b 521");
    INFO(args);
    TempDir dir;
    const fs::path key = dir.path() / "id";
    std::string out;
    REQUIRE(run_command(std::string("ssh-keygen -q -m PEM -N 'legacy s3cret' ") + args + " -f " +
                            key.string() + " 2>&1",
                        out) == 0);
    const std::string text = slurp(key);
    REQUIRE(text.find("Proc-Type: 4,ENCRYPTED") != std::string::npos);
    REQUIRE(text.find("DEK-Info: AES-128-CBC,") != std::string::npos);
    check_loads(text, "legacy s3cret", slurp(fs::path(key.string() + ".pub")));
    check_refuses(text);
}

TEST_CASE("legacy encrypted PEM keys with AES-256, AES-192 and DES-EDE3", "[keyfile][pem][legacy]")
{
    SECTION("AES-256-CBC")
    {
        check_loads(fixed_aes256, "legacy pass", fixed_public);
        check_refuses(fixed_aes256);
    }
    SECTION("AES-192-CBC")
    {
        check_loads(fixed_aes192, "legacy pass", fixed_public);
        check_refuses(fixed_aes192);
    }
    SECTION("DES-EDE3-CBC")
    {
        check_loads(fixed_des3, "legacy pass", fixed_public);
        check_refuses(fixed_des3);
    }
    SECTION("damaged headers or body are refused")
    {
        std::string unknown_cipher = fixed_aes256;
        unknown_cipher.replace(unknown_cipher.find("AES-256-CBC"), 11, "AES-999-CBC");
        CHECK_FALSE(
            bc::parse_private_key_file(unknown_cipher, std::string_view("legacy pass")).loaded);
        std::string short_iv = fixed_aes256;
        short_iv.erase(short_iv.find("\n\n") - 2, 2);
        CHECK_FALSE(bc::parse_private_key_file(short_iv, std::string_view("legacy pass")).loaded);
        std::string body = fixed_aes256;
        body[body.find("\n\n") + 10] ^= 1;
        CHECK_FALSE(bc::parse_private_key_file(body, std::string_view("legacy pass")).loaded);
    }
}
