// burrow's user authentication against OpenSSH sshd and burrowd: keys held
// in OpenSSH's ssh-agent, agent forwarding, password via SSH_ASKPASS and
// BatchMode refusing to prompt.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);

/// OpenSSH's ssh-agent on a socket in `dir`, killed at scope exit.
class Agent final {
public:
    explicit Agent(const TempDir& dir) : m_socket(dir.file("agent.sock"))
    {
        // ssh-agent has bound its socket when the starting process exits.
        const RunResult started =
            run({"ssh-agent", "-s", "-a", m_socket}, RunOptions{dir.path(), command_timeout});
        const auto at = started.out.find("SSH_AGENT_PID=");
        if (started.exit_code != 0 || at == std::string::npos) {
            throw std::runtime_error("cannot start ssh-agent: " + started.out + started.err);
        }
        m_pid = std::stoi(started.out.substr(at + 14));
    }
    ~Agent() { ::kill(m_pid, SIGTERM); }
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    const std::string& socket() const { return m_socket; }

    void add(const KeyPair& key, const TempDir& dir) const
    {
        const RunResult added =
            run({"env", "SSH_AUTH_SOCK=" + m_socket, "ssh-add", "-q", key.private_path},
                RunOptions{dir.path(), command_timeout});
        REQUIRE(added.exit_code == 0);
    }

private:
    std::string m_socket;
    int m_pid = -1;
};

/// burrow with `env` settings, no -i: only the agent (or prompts) can authenticate.
std::vector<std::string> burrow_argv(const std::vector<std::string>& env, const TempDir& dir,
                                     uint16_t port, const std::string& user,
                                     const std::vector<std::string>& extra,
                                     const std::string& command)
{
    std::vector<std::string> argv = {"env", "-u", "SSH_AUTH_SOCK", "HOME=" + dir.path()};
    argv.insert(argv.end(), env.begin(), env.end());
    const std::vector<std::string> common = {tools().burrow,
                                             "-p",
                                             std::to_string(port),
                                             "-o",
                                             "StrictHostKeyChecking=no",
                                             "-o",
                                             "UserKnownHostsFile=" + dir.file("known_hosts"),
                                             "-o",
                                             "GlobalKnownHostsFile=/dev/null"};
    argv.insert(argv.end(), common.begin(), common.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(user + "@127.0.0.1");
    argv.push_back(command);
    return argv;
}

RunResult run_logged(const std::vector<std::string>& argv, const TempDir& dir)
{
    const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

/// A user with a known password for password tests (created once, as root).
const char* const password_user = "burrowpw";
const char* const password_text = "Corr3ct-h0rse";

bool ensure_password_user(const TempDir& dir)
{
    if (::geteuid() != 0) {
        return false;
    }
    const RunOptions options{dir.path(), command_timeout};
    if (run({"id", password_user}, options).exit_code != 0 &&
        run({"useradd", "-m", "-s", "/bin/sh", password_user}, options).exit_code != 0) {
        return false;
    }
    const std::string script = dir.file("chpasswd.sh");
    write_text(
        script,
        "#!/bin/sh\necho '" + std::string(password_user) + ":" + password_text + "' | chpasswd\n",
        0700);
    return run({script}, options).exit_code == 0;
}

/// An SSH_ASKPASS program answering `answer`, noting each call in `<dir>/askpass.log`.
std::string askpass_script(const TempDir& dir, const std::string& answer)
{
    const std::string path = dir.file("askpass.sh");
    write_text(
        path,
        "#!/bin/sh\necho \"$1\" >> '" + dir.file("askpass.log") + "'\necho '" + answer + "'\n",
        0700);
    return path;
}

std::vector<std::string> askpass_env(const std::string& script)
{
    return {"SSH_ASKPASS=" + script, "SSH_ASKPASS_REQUIRE=force", "DISPLAY=:0"};
}

}  // namespace

TEST_CASE("burrow logs in with keys held in OpenSSH's ssh-agent", "[interop][client-auth]")
{
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO(name_of(kind));
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair ed25519 = make_openssh_key(dir, "user_ed25519");
    const KeyPair rsa = make_openssh_key(dir, "user_rsa", "rsa", 2048);
    const KeyPair stranger = make_openssh_key(dir, "stranger");
    const std::string authorized_keys = dir.file("authorized_keys");
    const Agent agent(dir);
    agent.add(stranger, dir);  // offered first and refused: the next key is tried
    const Server server(kind, dir, host_key.private_path, authorized_keys);
    const std::vector<std::string> env = {"SSH_AUTH_SOCK=" + agent.socket()};

    SECTION("ed25519")
    {
        authorize(authorized_keys, ed25519);
        agent.add(ed25519, dir);
    }
    SECTION("rsa (rsa-sha2 signature from the agent)")
    {
        authorize(authorized_keys, rsa);
        agent.add(rsa, dir);
    }
    const RunResult result = run_logged(
        burrow_argv(env, dir, server.port(), login_user(), {"-o", "BatchMode=yes"}, "echo ok"),
        dir);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
}

TEST_CASE("without a usable key burrow reports the server's methods", "[interop][client-auth]")
{
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const Server server(ServerKind::openssh, dir, host_key.private_path,
                        dir.file("authorized_keys"));
    const RunResult result = run_logged(
        burrow_argv({}, dir, server.port(), login_user(), {"-o", "BatchMode=yes"}, "echo ok"), dir);
    CHECK(result.exit_code == 255);
    CHECK_THAT(result.err, Catch::Contains("Permission denied (publickey)."));
}

TEST_CASE("burrow -A forwards the local agent to OpenSSH sshd", "[interop][client-auth]")
{
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const KeyPair user_key = make_openssh_key(dir, "user_key");
    const std::string authorized_keys = dir.file("authorized_keys");
    authorize(authorized_keys, user_key);
    const Agent agent(dir);
    agent.add(user_key, dir);
    const Server server(ServerKind::openssh, dir, host_key.private_path, authorized_keys);
    const std::string fingerprint = sha256_fingerprint_of(user_key.public_path, dir.path());
    const std::vector<std::string> env = {"SSH_AUTH_SOCK=" + agent.socket()};

    const RunResult forwarded = run_logged(burrow_argv(env, dir, server.port(), login_user(),
                                                       {"-A", "-o", "BatchMode=yes"}, "ssh-add -l"),
                                           dir);
    CHECK(forwarded.exit_code == 0);
    CHECK_THAT(forwarded.out, Catch::Contains(fingerprint));

    // Without -A (or with -a) the remote side sees no agent.
    const RunResult plain = run_logged(burrow_argv(env, dir, server.port(), login_user(),
                                                   {"-a", "-o", "BatchMode=yes"}, "ssh-add -l"),
                                       dir);
    CHECK(plain.exit_code == 2);
    CHECK_THAT(plain.out, !Catch::Contains(fingerprint));
}

TEST_CASE("burrow password authentication to OpenSSH sshd through SSH_ASKPASS",
          "[interop][client-auth]")
{
    const TempDir dir;
    if (!ensure_password_user(dir)) {
        FAIL(
            "the password test must run as root with useradd and chpasswd (as in CI), to "
            "create the user "
            << password_user);
    }
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const ServerSettings settings{
        {host_key.private_path}, dir.file("authorized_keys"), {"PasswordAuthentication=yes"}};
    const Server server(ServerKind::openssh, dir, settings);

    SECTION("the right password")
    {
        const std::string script = askpass_script(dir, password_text);
        const RunResult result = run_logged(
            burrow_argv(askpass_env(script), dir, server.port(), password_user, {}, "id -un"), dir);
        CHECK(result.exit_code == 0);
        CHECK(result.out == std::string(password_user) + "\n");
        CHECK(read_text(dir.file("askpass.log")) ==
              std::string(password_user) + "@127.0.0.1's password: \n");
    }
    SECTION("a wrong password, asked NumberOfPasswordPrompts times")
    {
        const std::string script = askpass_script(dir, "wrong");
        const RunResult result =
            run_logged(burrow_argv(askpass_env(script), dir, server.port(), password_user,
                                   {"-o", "NumberOfPasswordPrompts=2"}, "id -un"),
                       dir);
        CHECK(result.exit_code == 255);
        CHECK_THAT(result.err, Catch::Contains("Permission denied"));
        const std::string asked = read_text(dir.file("askpass.log"));
        CHECK(std::count(asked.begin(), asked.end(), '\n') == 2);
    }
    SECTION("BatchMode never asks")
    {
        const std::string script = askpass_script(dir, password_text);
        const RunResult result =
            run_logged(burrow_argv(askpass_env(script), dir, server.port(), password_user,
                                   {"-o", "BatchMode=yes"}, "id -un"),
                       dir);
        CHECK(result.exit_code == 255);
        CHECK_THAT(result.err, Catch::Contains("Permission denied (publickey,password)."));
        CHECK(access(dir.file("askpass.log").c_str(), F_OK) != 0);
    }
}

}  // namespace burrow::interop_test

namespace burrow::interop_test {

TEST_CASE("burrow asks for a passphrase only for the key the server accepts",
          "[interop][client-auth]")
{
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const std::string authorized_keys = dir.file("authorized_keys");
    // Two passphrase-protected keys; only the second is authorized.
    const auto make_encrypted = [&](const std::string& name) {
        const std::string path = dir.file(name);
        const RunResult made =
            run({tools().ssh_keygen, "-q", "-t", "ed25519", "-N", "s3cret", "-f", path},
                RunOptions{dir.path(), command_timeout});
        REQUIRE(made.exit_code == 0);
        return KeyPair{path, path + ".pub"};
    };
    const KeyPair refused = make_encrypted("id_refused");
    const KeyPair accepted = make_encrypted("id_accepted");
    authorize(authorized_keys, accepted);
    const Server server(ServerKind::openssh, dir, host_key.private_path, authorized_keys);
    const std::string script = askpass_script(dir, "s3cret");

    const RunResult result =
        run_logged(burrow_argv(askpass_env(script), dir, server.port(), login_user(),
                               {"-i", refused.private_path, "-i", accepted.private_path, "-o",
                                "PreferredAuthentications=publickey"},
                               "echo ok"),
                   dir);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
    // The refused key was only queried (RFC 4252 §7): no passphrase asked for it.
    CHECK(read_text(dir.file("askpass.log")) ==
          "Enter passphrase for key '" + accepted.private_path + "': \n");
}

}  // namespace burrow::interop_test

namespace burrow::interop_test {

TEST_CASE("burrow logs in with a legacy encrypted PEM key (ssh-keygen -m PEM -N)",
          "[interop][client-auth]")
{
    const char* const type = GENERATE("rsa", "ecdsa");
    INFO(type);
    const TempDir dir;
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const std::string authorized_keys = dir.file("authorized_keys");
    const std::string path = dir.file("id_legacy");
    const RunResult made =
        run({tools().ssh_keygen, "-q", "-t", type, "-m", "PEM", "-N", "legacy s3cret", "-f", path},
            RunOptions{dir.path(), command_timeout});
    REQUIRE(made.exit_code == 0);
    REQUIRE_THAT(read_text(path), Catch::Contains("Proc-Type: 4,ENCRYPTED"));
    const KeyPair key{path, path + ".pub"};
    authorize(authorized_keys, key);
    const ServerKind kind = GENERATE(ServerKind::openssh, ServerKind::burrowd);
    INFO(name_of(kind));
    const Server server(kind, dir, host_key.private_path, authorized_keys);
    const auto login = [&](const std::string& passphrase) {
        return run_logged(
            burrow_argv(
                askpass_env(askpass_script(dir, passphrase)), dir, server.port(), login_user(),
                {"-i", key.private_path, "-o", "PreferredAuthentications=publickey"}, "echo ok"),
            dir);
    };
    const RunResult ok = login("legacy s3cret");
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == "ok\n");
    CHECK_THAT(read_text(dir.file("askpass.log")),
               Catch::Contains("Enter passphrase for key '" + key.private_path + "'"));
    const RunResult wrong = login("not the passphrase");
    CHECK(wrong.exit_code == 255);
    CHECK(wrong.out.empty());
}

}  // namespace burrow::interop_test

namespace burrow::interop_test {

TEST_CASE("burrow keyboard-interactive to OpenSSH sshd through PAM (UsePAM yes)",
          "[interop][client-auth][pam]")
{
    const TempDir dir;
    if (!ensure_password_user(dir)) {
        FAIL("the test must run as root with useradd and chpasswd (as in CI), to create the user "
             << password_user);
    }
    REQUIRE(std::filesystem::exists("/etc/pam.d/sshd"));  // installed with openssh-server
    const KeyPair host_key = make_openssh_key(dir, "host_key");
    const ServerSettings settings{{host_key.private_path},
                                  dir.file("authorized_keys"),
                                  {"UsePAM=yes", "KbdInteractiveAuthentication=yes"}};
    const Server server(ServerKind::openssh, dir, settings);
    const auto login = [&](const std::string& answer) {
        std::filesystem::remove(dir.file("askpass.log"));
        return run_logged(
            burrow_argv(askpass_env(askpass_script(dir, answer)), dir, server.port(), password_user,
                        {"-o", "PreferredAuthentications=keyboard-interactive", "-o",
                         "NumberOfPasswordPrompts=1"},
                        "id -un"),
            dir);
    };
    const RunResult ok = login(password_text);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == std::string(password_user) + "\n");
    // The prompt is PAM's (pam_unix), shown as sshd sent it.
    CHECK_THAT(read_text(dir.file("askpass.log")), Catch::Contains("Password: "));
    const RunResult refused = login("wrong");
    CHECK(refused.exit_code == 255);
    CHECK_THAT(refused.err, Catch::Contains("Permission denied"));
}

}  // namespace burrow::interop_test
