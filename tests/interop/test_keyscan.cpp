// OpenSSH's ssh-keyscan against a burrowd with several host keys: a server offers every host key
// it has, so each requested type comes back, and it is the key in the matching .pub file.

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto keyscan_timeout = std::chrono::seconds(60);

/// "type blob" of every key line of ssh-keyscan's output (comment lines skipped).
std::vector<std::string> scanned_keys(const std::string& output)
{
    std::vector<std::string> keys;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream words(line);
        std::string host;
        std::string type;
        std::string blob;
        if (words >> host >> type >> blob) {
            keys.push_back(type + " " + blob);
        }
    }
    return keys;
}

struct ScannedHost {
    TempDir dir;
    std::vector<KeyPair> host_keys;
    RunResult scan;
    std::vector<std::string> keys;
    std::string server_log;
};

/// Starts burrowd with @p key_types (ssh-keygen type, bits) as host keys and scans it for
/// @p scan_types.
void scan(ScannedHost& host, const std::vector<std::pair<std::string, unsigned>>& key_types,
          const std::string& scan_types)
{
    std::vector<std::string> key_paths;
    for (const auto& [type, bits] : key_types) {
        host.host_keys.push_back(
            make_openssh_key(host.dir, "host_" + type + std::to_string(bits), type, bits));
        key_paths.push_back(host.host_keys.back().private_path);
    }
    const KeyPair user_key = make_openssh_key(host.dir, "user_key");
    const std::string authorized_keys = host.dir.file("authorized_keys");
    authorize(authorized_keys, user_key);
    Server server(ServerKind::burrowd, host.dir, ServerSettings{key_paths, authorized_keys, {}});
    const std::vector<std::string> argv{"ssh-keyscan", "-p",       std::to_string(server.port()),
                                        "-t",          scan_types, "127.0.0.1"};
    host.scan = run(argv, RunOptions{host.dir.path(), keyscan_timeout});
    host.keys = scanned_keys(host.scan.out);
    host.server_log = server.log();
    UNSCOPED_INFO(describe(argv, host.scan) << "\nburrowd log:\n" << tail(host.server_log));
}

}  // namespace

TEST_CASE("ssh-keyscan gets every host key type from burrowd", "[interop][keyscan]")
{
    ScannedHost host;
    scan(host, {{"ed25519", 0}, {"ecdsa", 256}, {"rsa", 3072}}, "ed25519,ecdsa,rsa");
    CHECK(host.scan.exit_code == 0);
    CHECK(host.keys.size() == 3);
    for (const KeyPair& key : host.host_keys) {
        INFO("host key " << key.public_path);
        CHECK(std::find(host.keys.begin(), host.keys.end(), key.public_blob_line()) !=
              host.keys.end());
    }
}

TEST_CASE("ssh-keyscan gets ECDSA host keys on every curve", "[interop][keyscan]")
{
    const unsigned bits = GENERATE(256u, 384u, 521u);
    INFO("ecdsa " << bits);
    ScannedHost host;
    scan(host, {{"ed25519", 0}, {"ecdsa", bits}}, "ecdsa");
    CHECK(host.scan.exit_code == 0);
    REQUIRE(host.keys.size() == 1);
    CHECK(host.keys[0] == host.host_keys[1].public_blob_line());
}

}  // namespace burrow::interop_test
