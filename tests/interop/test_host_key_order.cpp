// burrow orders its host key algorithms by what known_hosts already holds for the host (issue B):
// against an sshd with ed25519, ECDSA and RSA host keys, a known_hosts that pins only one of them
// must lead burrow to ask for that type, so strict checking succeeds instead of reporting a
// changed or unknown key. The type used is read back from sshd's debug log.

#include <catch2/catch.hpp>

#include "fixtures.h"

namespace burrow::interop_test {

TEST_CASE("burrow prefers the host key type known_hosts holds", "[interop][known-hosts][host-key]")
{
    struct Pinned {
        std::string keygen_type;
        unsigned bits;
        /// Host key algorithms sshd may then log; RSA keys may use either SHA-2 signature.
        std::vector<std::string> algorithms;
    };
    const Pinned pinned = GENERATE(Pinned{"ed25519", 0, {"ssh-ed25519"}},
                                   Pinned{"ecdsa", 256, {"ecdsa-sha2-nistp256"}},
                                   Pinned{"ecdsa", 384, {"ecdsa-sha2-nistp384"}},
                                   Pinned{"rsa", 3072, {"rsa-sha2-512", "rsa-sha2-256"}});
    INFO("known_hosts holds the " << pinned.keygen_type << " " << pinned.bits << " key");

    TempDir dir;
    // One key per type; the ECDSA key has the pinned curve (sshd takes one ECDSA key).
    const unsigned ecdsa_bits = pinned.keygen_type == "ecdsa" ? pinned.bits : 256;
    const KeyPair ed25519 = make_openssh_key(dir, "host_ed25519", "ed25519", 0);
    const KeyPair ecdsa = make_openssh_key(dir, "host_ecdsa", "ecdsa", ecdsa_bits);
    const KeyPair rsa = make_openssh_key(dir, "host_rsa", "rsa", 3072);
    const KeyPair& known = pinned.keygen_type == "ed25519" ? ed25519
                           : pinned.keygen_type == "ecdsa" ? ecdsa
                                                           : rsa;
    const KeyPair user_key = make_openssh_key(dir, "user_key");
    const std::string authorized_keys = dir.file("authorized_keys");
    authorize(authorized_keys, user_key);
    Server server(ServerKind::openssh, dir,
                  ServerSettings{{ed25519.private_path, ecdsa.private_path, rsa.private_path},
                                 authorized_keys,
                                 {"LogLevel=DEBUG1"}});

    const std::string known_hosts = dir.file("known_hosts");
    write_text(known_hosts, "[127.0.0.1]:" + std::to_string(server.port()) + " " +
                                known.public_blob_line() + "\n");
    const ClientOptions options{user_key.private_path, known_hosts, "yes", ""};
    const std::vector<std::string> argv =
        client_command(ClientKind::burrow, server.port(), options, "echo ok");
    const RunResult result = run(argv, RunOptions{dir.path(), std::chrono::seconds(30)});
    const std::string log = server.log();
    INFO(describe(argv, result) << "\nsshd log:\n" << tail(log));
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
    bool logged = false;
    for (const std::string& algorithm : pinned.algorithms) {
        logged = logged || log.find("kex: host key algorithm: " + algorithm) != std::string::npos;
    }
    CHECK(logged);
}

}  // namespace burrow::interop_test
