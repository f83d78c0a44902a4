// Agent forwarding to burrowd (OpenSSH PROTOCOL §2.1): OpenSSH ssh -A and
// burrow -A log in as the test user; the remote `ssh-add -l` must list the
// key held by the local ssh-agent through burrowd's SSH_AUTH_SOCK, which is a
// socket owned by that user in a private 0700 directory, removed when the
// connection ends. Refused without -A, with no-agent-forwarding or restrict
// in authorized_keys, and with AllowAgentForwarding no.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

/// burrowd switches to this user, so ownership of the socket is checked.
constexpr const char* test_user = "burrowtest";
constexpr auto command_timeout = std::chrono::seconds(30);
constexpr auto cleanup_timeout = std::chrono::seconds(10);

/// Prints the key list, the socket path and the modes and owners of the
/// socket and its directory.
constexpr const char* remote_probe =
    "ssh-add -l; rc=$?; echo \"sock=[$SSH_AUTH_SOCK]\"; "
    "if [ -n \"$SSH_AUTH_SOCK\" ]; then stat -c 'mode %U %a %F' \"$SSH_AUTH_SOCK\" "
    "\"${SSH_AUTH_SOCK%/*}\"; fi; exit $rc";

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

private:
    std::string m_socket;
    int m_pid = -1;
};

RunResult run_logged(const std::vector<std::string>& argv, const TempDir& dir)
{
    const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

/// The test user exists (created as root, as in CI).
void ensure_test_user(const TempDir& dir)
{
    if (::geteuid() != 0) {
        FAIL("agent forwarding tests must run as root (burrowd switches to "
             << test_user << "), as they do in CI");
    }
    if (::getpwnam(test_user) == nullptr) {
        REQUIRE(run_logged({"useradd", "-m", "-s", "/bin/sh", test_user}, dir).exit_code == 0);
    }
}

/// A burrowd the test user logs in to with a key that the local agent holds.
struct Host {
    explicit Host(const std::vector<std::string>& options = {})
        : host_key(make_openssh_key(dir, "host_key")),
          user_key(make_openssh_key(dir, "user_key")),
          authorized_keys(dir.file("authorized_keys")),
          agent(dir),
          fingerprint(sha256_fingerprint_of(user_key.public_path, dir.path())),
          server(ServerKind::burrowd, dir,
                 ServerSettings{{host_key.private_path}, authorized_keys, options})
    {
        // burrowd reads authorized_keys as the user: it must be able to.
        ::chmod(dir.path().c_str(), 0755);
        authorize_with("");
        const RunResult added = run_logged(
            {"env", "SSH_AUTH_SOCK=" + agent.socket(), "ssh-add", "-q", user_key.private_path},
            dir);
        REQUIRE(added.exit_code == 0);
    }

    void authorize_with(const std::string& key_options) const
    {
        write_text(authorized_keys,
                   key_options + (key_options.empty() ? "" : " ") + user_key.public_blob_line() +
                       " test@interop\n",
                   0644);
    }

    /// OpenSSH ssh as the test user, with (-A) or without (-a) agent forwarding.
    RunResult ssh(bool forward, const std::string& command) const
    {
        std::vector<std::string> argv = openssh_login(server.port(), user_key.private_path,
                                                      test_user, {forward ? "-A" : "-a"}, command);
        argv.insert(argv.begin(), {"env", "SSH_AUTH_SOCK=" + agent.socket()});
        return run_logged(argv, dir);
    }

    /// burrow as the test user, authenticating with the agent's key.
    RunResult burrow(bool forward, const std::string& command) const
    {
        return run_logged(
            {"env", "-u", "SSH_AUTH_SOCK", "HOME=" + dir.path(), "SSH_AUTH_SOCK=" + agent.socket(),
             tools().burrow, "-p", std::to_string(server.port()), "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=" + dir.file("known_hosts"), "-o",
             "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes", forward ? "-A" : "-a",
             std::string(test_user) + "@127.0.0.1", command},
            dir);
    }

    TempDir dir;
    KeyPair host_key;
    KeyPair user_key;
    std::string authorized_keys;
    Agent agent;
    std::string fingerprint;
    Server server;
};

/// The SSH_AUTH_SOCK value the probe printed ("" when unset).
std::string socket_path_of(const std::string& out)
{
    const auto begin = out.find("sock=[");
    const auto end = out.find(']', begin);
    if (begin == std::string::npos || end == std::string::npos) {
        return "(no probe output)";
    }
    return out.substr(begin + 6, end - begin - 6);
}

/// The forwarded socket and its directory are gone (bounded wait: burrowd
/// removes them as the connection ends, possibly just after ssh exits).
bool removed(const std::string& socket_path)
{
    const std::string dir = socket_path.substr(0, socket_path.rfind('/'));
    return wait_until(
        [&] {
            struct stat st {};
            return ::lstat(socket_path.c_str(), &st) != 0 && ::lstat(dir.c_str(), &st) != 0;
        },
        cleanup_timeout);
}

/// The probe's output for a forwarded agent: the key, a user-owned socket
/// in a user-owned 0700 directory under /tmp.
void check_forwarded(const Host& host, const RunResult& result)
{
    INFO("burrowd log:\n" << tail(host.server.log()));
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains(host.fingerprint));
    const std::string path = socket_path_of(result.out);
    CHECK_THAT(path, Catch::StartsWith("/tmp/ssh-") && Catch::Contains("/agent."));
    CHECK_THAT(result.out, Catch::Contains(std::string("mode ") + test_user + " 600 socket\n"));
    CHECK_THAT(result.out, Catch::Contains(std::string("mode ") + test_user + " 700 directory\n"));
    if (path.starts_with("/tmp/ssh-")) {
        CHECK(removed(path));
    }
}

/// The probe's output when no agent was forwarded.
void check_not_forwarded(const Host& host, const RunResult& result)
{
    INFO("burrowd log:\n" << tail(host.server.log()));
    CHECK(result.exit_code == 2);  // ssh-add: cannot connect to an agent
    CHECK_THAT(result.out, !Catch::Contains(host.fingerprint));
    CHECK_THAT(result.out, Catch::Contains("sock=[]"));
}

}  // namespace

TEST_CASE("OpenSSH ssh -A to burrowd: the remote ssh-add lists the local agent's key",
          "[interop][agent-forwarding]")
{
    const TempDir scratch;
    ensure_test_user(scratch);
    const Host host;

    check_forwarded(host, host.ssh(true, remote_probe));
    // Without -A there is no SSH_AUTH_SOCK.
    check_not_forwarded(host, host.ssh(false, remote_probe));
    // restrict with agent-forwarding allows it again.
    host.authorize_with("restrict,agent-forwarding");
    check_forwarded(host, host.ssh(true, remote_probe));
}

TEST_CASE("burrowd refuses agent forwarding by authorized_keys options and AllowAgentForwarding",
          "[interop][agent-forwarding]")
{
    const TempDir scratch;
    ensure_test_user(scratch);
    SECTION("no-agent-forwarding")
    {
        const Host host;
        host.authorize_with("no-agent-forwarding");
        check_not_forwarded(host, host.ssh(true, remote_probe));
    }
    SECTION("restrict")
    {
        const Host host;
        host.authorize_with("restrict");
        check_not_forwarded(host, host.ssh(true, remote_probe));
    }
    SECTION("AllowAgentForwarding no")
    {
        const Host host({"AllowAgentForwarding=no"});
        check_not_forwarded(host, host.ssh(true, remote_probe));
    }
}

TEST_CASE("burrow -A to burrowd: the remote ssh-add lists the local agent's key",
          "[interop][agent-forwarding]")
{
    const TempDir scratch;
    ensure_test_user(scratch);
    const Host host;

    check_forwarded(host, host.burrow(true, remote_probe));
    check_not_forwarded(host, host.burrow(false, remote_probe));
}

}  // namespace burrow::interop_test
