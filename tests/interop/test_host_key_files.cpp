// Host key files (issue F "Host keys"): burrowd creates ED25519 and RSA-3072 host keys in its
// configuration directory on first start and OpenSSH's ssh then trusts them by fingerprint;
// `burrow-keygen -A` makes the same set of files as `ssh-keygen -A`; private host keys readable
// by group or others are refused with sshd's "Permissions ... are too open." line.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "fixtures.h"

namespace burrow::interop_test {

namespace {

namespace fs = std::filesystem;

constexpr auto start_timeout = std::chrono::seconds(60);  // RSA-3072 generation included
constexpr auto command_timeout = std::chrono::seconds(60);

unsigned mode_of(const std::string& path)
{
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

/// File name -> permission bits of each entry of @p dir.
std::map<std::string, unsigned> listing(const std::string& dir)
{
    std::map<std::string, unsigned> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        out[entry.path().filename().string()] = mode_of(entry.path().string());
    }
    return out;
}

/// "3072 SHA256:... comment (RSA)" as ssh-keygen -l prints it, split into bits, fingerprint
/// and type.
struct KeyInfo {
    std::string bits;
    std::string fingerprint;
    std::string type;
};

KeyInfo key_info(const std::string& path, const TempDir& scratch)
{
    const std::vector<std::string> argv{tools().ssh_keygen, "-l", "-f", path};
    const RunResult result = run(argv, RunOptions{scratch.path(), command_timeout});
    INFO(describe(argv, result));
    REQUIRE(result.exit_code == 0);
    const std::string& out = result.out;
    const size_t space = out.find(' ');
    const size_t second = out.find(' ', space + 1);
    const size_t open = out.rfind('(');
    REQUIRE(second != std::string::npos);
    REQUIRE(open != std::string::npos);
    return KeyInfo{out.substr(0, space), out.substr(space + 1, second - space - 1),
                   out.substr(open + 1, out.find(')', open) - open - 1)};
}

/// A burrowd_config for a test server: the installed default file (all comments) plus what
/// a test on loopback needs. No HostKey line.
std::string write_test_config(const TempDir& dir, uint16_t port, const std::string& authorized)
{
    const std::string path = dir.file("burrowd_config");
    write_text(path,
               read_text(env_or("BURROW_SOURCE_ROOT", ".") + "/server/burrowd_config") + "Port " +
                   std::to_string(port) + "\nListenAddress 127.0.0.1\n" + "PidFile " +
                   dir.file("burrowd.pid") + "\nAuthorizedKeysFile " + authorized + "\n",
               0644);
    return path;
}

/// Runs `ssh` against 127.0.0.1:@p port with strict checking against @p known_hosts, offering
/// only @p algorithm as host key algorithm.
RunResult ssh_echo(const TempDir& dir, uint16_t port, const KeyPair& user,
                   const std::string& known_hosts, const std::string& algorithm)
{
    const ClientOptions options{
        user.private_path, known_hosts, "yes", "", {"-o", "HostKeyAlgorithms=" + algorithm}};
    const std::vector<std::string> argv =
        client_command(ClientKind::openssh, port, options, "echo ok");
    RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

/// A known_hosts file named @p name in @p dir that pins the key of @p public_path for
/// 127.0.0.1:@p port.
std::string pin_host_key(const TempDir& dir, const std::string& name, uint16_t port,
                         const std::string& public_path)
{
    const std::string path = dir.file(name);
    write_text(path, "[127.0.0.1]:" + std::to_string(port) + " " + read_text(public_path));
    return path;
}

}  // namespace

TEST_CASE("burrowd creates its host keys on first start and ssh trusts them",
          "[install][host-keys]")
{
    TempDir dir;
    const KeyPair user = make_openssh_key(dir, "user_key");
    const std::string authorized = dir.file("authorized_keys");
    authorize(authorized, user);
    TempDir config_dir;  // holds only burrowd_config: no host key exists yet
    const uint16_t port = free_loopback_port();
    const std::string config = write_test_config(config_dir, port, authorized);
    const std::string log_path = dir.file("burrowd.log");
    auto server = std::make_unique<Process>(
        std::vector<std::string>{tools().burrowd, "-D", "-e", "-f", config},
        Redirects{"/dev/null", "/dev/null", log_path});
    REQUIRE(wait_for_port(port, *server, start_timeout));
    const std::string log = read_text(log_path);
    INFO("burrowd log:\n" << tail(log));

    // Exactly ED25519 and RSA, 0600 private and 0644 public, openssh-key-v1.
    const std::map<std::string, unsigned> expected{{"burrowd_config", 0644},
                                                   {"ssh_host_ed25519_key", 0600},
                                                   {"ssh_host_ed25519_key.pub", 0644},
                                                   {"ssh_host_rsa_key", 0600},
                                                   {"ssh_host_rsa_key.pub", 0644}};
    std::map<std::string, unsigned> actual = listing(config_dir.path());
    actual.erase("burrowd.pid");  // the PidFile, which this test puts there too
    CHECK(actual == expected);
    const std::string ed25519 = config_dir.file("ssh_host_ed25519_key");
    const std::string rsa = config_dir.file("ssh_host_rsa_key");
    for (const std::string& key : {ed25519, rsa}) {
        CHECK(read_text(key).rfind("-----BEGIN OPENSSH PRIVATE KEY-----\n", 0) == 0);
    }
    const KeyInfo ed_info = key_info(ed25519 + ".pub", dir);
    const KeyInfo rsa_info = key_info(rsa + ".pub", dir);
    CHECK(ed_info.type == "ED25519");
    CHECK(rsa_info.type == "RSA");
    CHECK(rsa_info.bits == "3072");
    // The log names each key made with its fingerprint.
    CHECK(log.find("created ED25519 host key " + ed25519 + ": " + ed_info.fingerprint) !=
          std::string::npos);
    CHECK(log.find("created RSA host key " + rsa + ": " + rsa_info.fingerprint) !=
          std::string::npos);

    // ssh with strict checking trusts each key through known_hosts built from its .pub file.
    const std::string known_ed = pin_host_key(dir, "known_hosts_ed25519", port, ed25519 + ".pub");
    const RunResult ed_login = ssh_echo(dir, port, user, known_ed, "ssh-ed25519");
    CHECK(ed_login.exit_code == 0);
    CHECK(ed_login.out == "ok\n");
    const std::string known_rsa = pin_host_key(dir, "known_hosts_rsa", port, rsa + ".pub");
    const RunResult rsa_login = ssh_echo(dir, port, user, known_rsa, "rsa-sha2-512");
    CHECK(rsa_login.exit_code == 0);
    CHECK(rsa_login.out == "ok\n");
    // And refuses a host whose key does not match: the check above can fail.
    const RunResult mismatch = ssh_echo(dir, port, user, known_ed, "rsa-sha2-512");
    CHECK(mismatch.exit_code == 255);

    // A second start uses the keys it finds and creates nothing.
    server->terminate();
    const std::string ed_before = read_text(ed25519);
    const std::string second_log = dir.file("burrowd2.log");
    Process again({tools().burrowd, "-D", "-e", "-f", config},
                  Redirects{"/dev/null", "/dev/null", second_log});
    REQUIRE(wait_for_port(port, again, start_timeout));
    CHECK(read_text(second_log).find("first start") == std::string::npos);
    CHECK(read_text(ed25519) == ed_before);
    CHECK(ssh_echo(dir, port, user, known_ed, "ssh-ed25519").exit_code == 0);
}

TEST_CASE("burrow-keygen -A makes the files ssh-keygen -A makes", "[install][host-keys]")
{
    TempDir openssh_root;
    TempDir burrow_root;
    fs::create_directories(openssh_root.file("etc/ssh"));
    fs::create_directories(burrow_root.file("etc/burrow"));
    const std::vector<std::string> ssh_argv{tools().ssh_keygen, "-A", "-f", openssh_root.path()};
    const RunResult ssh_run = run(ssh_argv, RunOptions{openssh_root.path(), command_timeout});
    REQUIRE(ssh_run.exit_code == 0);
    const std::vector<std::string> argv{tools().burrow_keygen, "-A", "-f", burrow_root.path()};
    const RunResult first = run(argv, RunOptions{burrow_root.path(), command_timeout});
    INFO(describe(argv, first));
    REQUIRE(first.exit_code == 0);
    CHECK(first.out == "burrow-keygen: generating new host keys: RSA ECDSA ED25519\n");

    const std::string burrow_dir = burrow_root.file("etc/burrow");
    const std::string openssh_dir = openssh_root.file("etc/ssh");
    CHECK(listing(burrow_dir) == listing(openssh_dir));
    for (const auto& [name, mode] : listing(openssh_dir)) {
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".pub") == 0) {
            const KeyInfo ours = key_info(burrow_dir + "/" + name, burrow_root);
            const KeyInfo theirs = key_info(openssh_dir + "/" + name, openssh_root);
            INFO(name);
            CHECK(ours.type == theirs.type);
            CHECK(ours.bits == theirs.bits);
        }
    }

    // Present keys are kept; only a missing one is made again.
    const std::string ed_before = read_text(burrow_dir + "/ssh_host_ed25519_key");
    const RunResult nothing = run(argv, RunOptions{burrow_root.path(), command_timeout});
    CHECK(nothing.exit_code == 0);
    CHECK(nothing.out.empty());
    fs::remove(burrow_dir + "/ssh_host_ecdsa_key");
    const RunResult again = run(argv, RunOptions{burrow_root.path(), command_timeout});
    CHECK(again.out == "burrow-keygen: generating new host keys: ECDSA\n");
    CHECK(read_text(burrow_dir + "/ssh_host_ed25519_key") == ed_before);
    CHECK(listing(burrow_dir) == listing(openssh_dir));

    // Without the directory, the keys cannot be written: an error, not silence.
    TempDir empty_root;
    const std::vector<std::string> no_dir{tools().burrow_keygen, "-A", "-f", empty_root.path()};
    const RunResult failed = run(no_dir, RunOptions{empty_root.path(), command_timeout});
    CHECK(failed.exit_code != 0);
    CHECK(failed.err.find("ssh_host_ed25519_key") != std::string::npos);
}

TEST_CASE("burrowd refuses private host keys readable by group or others", "[install][host-keys]")
{
    TempDir dir;
    const KeyPair open_key = make_openssh_key(dir, "open_host_key");
    const KeyPair tight_key = make_openssh_key(dir, "tight_host_key", "rsa", 3072);
    const unsigned too_open = GENERATE(0644u, 0640u, 0604u);
    REQUIRE(::chmod(open_key.private_path.c_str(), too_open) == 0);
    REQUIRE(::chmod(tight_key.private_path.c_str(), 0400) == 0);  // owner-only is fine
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", too_open);
    const std::string message =
        std::string("Permissions ") + octal + " for '" + open_key.private_path + "' are too open.";
    INFO(message);

    // Only the open key: nothing usable remains, so burrowd exits.
    const std::vector<std::string> alone{tools().burrowd,
                                         "-D",
                                         "-e",
                                         "-f",
                                         "/dev/null",
                                         "-o",
                                         "ListenAddress=127.0.0.1",
                                         "-p",
                                         std::to_string(free_loopback_port()),
                                         "-h",
                                         open_key.private_path};
    const RunResult refused = run(alone, RunOptions{dir.path(), command_timeout});
    INFO(describe(alone, refused));
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find(message) != std::string::npos);
    CHECK(refused.err.find("no hostkeys available") != std::string::npos);

    // With a 0400 key beside it, burrowd serves with that key only.
    const KeyPair user = make_openssh_key(dir, "user_key");
    Server server(
        ServerKind::burrowd, dir,
        ServerSettings{
            {open_key.private_path, tight_key.private_path}, dir.file("authorized_keys"), {}});
    authorize(dir.file("authorized_keys"), user);
    CHECK(server.log().find(message) != std::string::npos);
    const std::string known_tight =
        pin_host_key(dir, "known_hosts_tight", server.port(), tight_key.public_path);
    CHECK(ssh_echo(dir, server.port(), user, known_tight, "rsa-sha2-512").exit_code == 0);
    const std::string known_open =
        pin_host_key(dir, "known_hosts_open", server.port(), open_key.public_path);
    CHECK(ssh_echo(dir, server.port(), user, known_open, "ssh-ed25519").exit_code == 255);
}

TEST_CASE("default host keys sit beside the configuration file", "[install][host-keys]")
{
    TempDir dir;
    const std::string config = dir.file("burrowd_config");
    write_text(config, "Port 2222\n", 0644);
    const auto host_keys = [&](const std::string& file) {
        const std::vector<std::string> argv{tools().burrowd, "-T", "-f", file};
        const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
        INFO(describe(argv, result));
        REQUIRE(result.exit_code == 0);
        std::string lines;
        std::istringstream out(result.out);
        for (std::string line; std::getline(out, line);) {
            if (line.rfind("hostkey ", 0) == 0) {
                lines += line + "\n";
            }
        }
        return lines;
    };
    CHECK(host_keys(config) == "hostkey " + dir.file("ssh_host_rsa_key") + "\nhostkey " +
                                   dir.file("ssh_host_ecdsa_key") + "\nhostkey " +
                                   dir.file("ssh_host_ed25519_key") + "\n");
    // -f /dev/null is no directory of keys: the default one stays /etc/burrow.
    CHECK(host_keys("/dev/null") ==
          "hostkey /etc/burrow/ssh_host_rsa_key\nhostkey /etc/burrow/ssh_host_ecdsa_key\n"
          "hostkey /etc/burrow/ssh_host_ed25519_key\n");
}

}  // namespace burrow::interop_test
