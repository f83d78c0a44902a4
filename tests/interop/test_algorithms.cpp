// The algorithm matrix of issue B against real OpenSSH, in both directions (OpenSSH ssh ->
// burrowd, burrow -> OpenSSH sshd): one dimension at a time, the others at their defaults.
// Every cell runs a command and moves 10 MiB through `cat` compared by SHA-256, and reads the
// negotiated algorithm back from OpenSSH's debug log. Section names are "<direction> | <case>",
// so one cell can be run alone: interop_tests "[algorithms]" -c "burrow -> OpenSSH sshd | ..."

#include <catch2/catch.hpp>

#include "corrupting_proxy.h"
#include "trial.h"

namespace burrow::interop_test {
namespace {

void run_cell(const Direction& direction, const AlgorithmCase& algorithm)
{
    TrialSpec spec{direction};
    spec.client_args = algorithm.client_args;
    spec.server_options = server_options(algorithm, direction);
    Trial trial(spec);
    trial.check_command(algorithm.expected_log);
    trial.check_bulk(random_file(matrix_bulk_mib));
}

void run_cases(const std::vector<AlgorithmCase>& cases)
{
    for (const AlgorithmCase& algorithm : cases) {
        for (const Direction& direction : both_directions()) {
            DYNAMIC_SECTION(name_of(direction) << " | " << algorithm.label)
            {
                run_cell(direction, algorithm);
            }
        }
    }
}

/// A file of @p mib MiB that zlib shrinks a lot: numbered lines of text.
std::string compressible_file(const TempDir& dir, unsigned mib)
{
    const std::string path = dir.file("compressible.txt");
    std::string content;
    const size_t size = size_t{mib} << 20;
    content.reserve(size + 64);
    for (size_t line = 0; content.size() < size; ++line) {
        content += "line " + std::to_string(line) + " of the burrow compression interop test\n";
    }
    content.resize(size);
    write_text(path, content);
    return path;
}

}  // namespace

TEST_CASE("key exchange methods both ways", "[interop][algorithms][kex]")
{
    run_cases(kex_cases());
}

TEST_CASE("ciphers and MACs both ways", "[interop][algorithms][cipher]")
{
    run_cases(cipher_mac_cases());
}

TEST_CASE("host key types both ways", "[interop][algorithms][host-key]")
{
    for (const KeyTypeCase& key_type : key_type_cases()) {
        for (const Direction& direction : both_directions()) {
            DYNAMIC_SECTION(name_of(direction)
                            << " | host key " << key_type.algorithm << " (" << key_type.keygen_type
                            << " " << key_type.bits << ")")
            {
                TrialSpec spec{direction};
                spec.host_key_type = key_type;
                spec.client_args = {"-o", "HostKeyAlgorithms=" + key_type.algorithm};
                Trial trial(spec);
                trial.check_command({"kex: host key algorithm: " + key_type.algorithm});
                trial.check_bulk(random_file(matrix_bulk_mib));
            }
        }
    }
}

TEST_CASE("user key types both ways", "[interop][algorithms][user-key]")
{
    for (const KeyTypeCase& key_type : key_type_cases()) {
        for (const Direction& direction : both_directions()) {
            DYNAMIC_SECTION(name_of(direction)
                            << " | user key " << key_type.algorithm << " (" << key_type.keygen_type
                            << " " << key_type.bits << ")")
            {
                TrialSpec spec{direction};
                spec.user_key_type = key_type;
                spec.client_args = {"-o", "PubkeyAcceptedAlgorithms=" + key_type.algorithm};
                Trial trial(spec);
                trial.check_command({});
            }
        }
    }
}

TEST_CASE("zlib@openssh.com compression both ways", "[interop][algorithms][compression]")
{
    for (const Direction& direction : both_directions()) {
        DYNAMIC_SECTION(name_of(direction) << " | compression zlib@openssh.com")
        {
            TrialSpec spec{direction};
            spec.client_args = {"-C"};
            spec.server_options = {"Compression=yes"};
            Trial trial(spec);
            trial.check_command(
                {"client->server cipher: chacha20-poly1305@openssh.com MAC: "
                 "<implicit> compression: zlib@openssh.com",
                 "server->client cipher: chacha20-poly1305@openssh.com MAC: "
                 "<implicit> compression: zlib@openssh.com"});

            // Through a counting proxy: compressible data must take far fewer bytes on the
            // wire than it has, in both directions (cat sends it back).
            const std::string input = compressible_file(trial.dir(), matrix_bulk_mib);
            CorruptingProxy proxy(trial.port(), CorruptingProxy::no_flip);
            trial.check_bulk(input, proxy.port(), Trial::bulk_limit);
            const uint64_t size = file_size(input);
            INFO("bytes on the wire: client->server "
                 << proxy.upstream_bytes() << ", server->client " << proxy.downstream_bytes()
                 << ", data " << size);
            CHECK(proxy.upstream_bytes() < size / 4);
            CHECK(proxy.downstream_bytes() < size / 4);
        }
    }
}

TEST_CASE("compression is off unless asked for", "[interop][algorithms][compression]")
{
    // The control for the test above: without -C the same data costs at least its size.
    const Direction direction{ClientKind::openssh, ServerKind::burrowd};
    Trial trial(TrialSpec{direction});
    const TempDir scratch;
    const std::string input = compressible_file(scratch, 2);
    CorruptingProxy proxy(trial.port(), CorruptingProxy::no_flip);
    const RunResult result = trial.check_bulk(input, proxy.port(), Trial::bulk_limit);
    CHECK(result.err.find("compression: zlib") == std::string::npos);
    CHECK(proxy.upstream_bytes() >= file_size(input));
}

namespace {

/// A connection the default offer of one side must refuse: the other side insists on an
/// algorithm with a known weakness (or, for the server, a NIST curve).
struct RefusedCase {
    std::string label;
    Direction direction;
    KeyTypeCase host_key_type;
    std::vector<std::string> client_args;
    std::vector<std::string> server_options;
};

std::vector<RefusedCase> refused_cases()
{
    const Direction to_burrowd{ClientKind::openssh, ServerKind::burrowd};
    const Direction to_sshd{ClientKind::burrow, ServerKind::openssh};
    const KeyTypeCase ed25519{"ed25519", 0, "ssh-ed25519"};
    const KeyTypeCase rsa{"rsa", 3072, "ssh-rsa"};
    return {
        {"burrowd does not offer ecdh-sha2-nistp256",
         to_burrowd,
         ed25519,
         {"-o", "KexAlgorithms=ecdh-sha2-nistp256"},
         {}},
        {"burrowd does not offer diffie-hellman-group14-sha1",
         to_burrowd,
         ed25519,
         {"-o", "KexAlgorithms=diffie-hellman-group14-sha1"},
         {}},
        {"burrowd does not offer hmac-sha1",
         to_burrowd,
         ed25519,
         {"-c", "aes128-ctr", "-m", "hmac-sha1"},
         {}},
        {"burrowd does not sign with ssh-rsa (SHA-1)",
         to_burrowd,
         rsa,
         {"-o", "HostKeyAlgorithms=ssh-rsa"},
         {}},
        {"burrow does not offer diffie-hellman-group14-sha1",
         to_sshd,
         ed25519,
         {},
         {"KexAlgorithms=diffie-hellman-group14-sha1"}},
        {"burrow does not offer hmac-sha1",
         to_sshd,
         ed25519,
         {},
         {"Ciphers=aes128-ctr", "MACs=hmac-sha1"}},
        {"burrow does not accept ssh-rsa (SHA-1) host signatures",
         to_sshd,
         rsa,
         {},
         {"HostKeyAlgorithms=ssh-rsa"}},
    };
}

}  // namespace

TEST_CASE("default offers leave out SHA-1 and, on the server, NIST kex",
          "[interop][algorithms][defaults]")
{
    for (const RefusedCase& refused : refused_cases()) {
        DYNAMIC_SECTION(name_of(refused.direction) << " | " << refused.label)
        {
            TrialSpec spec{refused.direction};
            spec.host_key_type = refused.host_key_type;
            spec.client_args = refused.client_args;
            spec.server_options = refused.server_options;
            Trial trial(spec);
            const std::vector<std::string> argv = trial.client("echo hello");
            const RunResult result =
                run(argv, RunOptions{trial.dir().path(), std::chrono::seconds(30)});
            // The OpenSSH side's log gets the refusal; wait for sshd to write it.
            const bool negotiated_nothing = wait_until(
                [&] { return trial.openssh_log(result).find("no matching") != std::string::npos; },
                std::chrono::seconds(10));
            INFO(describe(argv, result) << "\nserver log:\n" << tail(trial.server().log()));
            CHECK(result.exit_code == 255);
            CHECK(result.out.empty());
            CHECK(negotiated_nothing);
        }
    }
}

TEST_CASE("burrow offers the NIST curves by default", "[interop][algorithms][defaults]")
{
    // Unlike burrowd, the client keeps them in its default offer (issue B "Default offer").
    TrialSpec spec{Direction{ClientKind::burrow, ServerKind::openssh}};
    spec.server_options = {"KexAlgorithms=ecdh-sha2-nistp256"};
    Trial trial(spec);
    trial.check_command({"kex: algorithm: ecdh-sha2-nistp256"});
}

}  // namespace burrow::interop_test
