// burrowd's privilege model (issue F), run as root with throwaway users:
// after authentication the connection's process is the user's for good (all
// four uids and gids, the supplementary groups), its root monitor stays,
// the session, the forwarded sockets and the agent socket belong to the
// user, another user's files stay unreadable, and a crash of one
// connection's process leaves the listener and other connections up.
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr const char* test_user = "burrowpriv";
constexpr const char* extra_group = "burrowprivgrp";
constexpr const char* other_user = "burrowother";
constexpr auto command_timeout = std::chrono::seconds(30);
constexpr auto wait_timeout = std::chrono::seconds(15);

RunResult run_logged(const std::vector<std::string>& argv, const TempDir& dir)
{
    const RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

/// The users and group exist (created as root, as in CI); the other user
/// has a private file.
void ensure_users(const TempDir& dir)
{
    if (::geteuid() != 0) {
        FAIL("privilege tests must run as root (burrowd switches users), as they do in CI");
    }
    if (::getgrnam(extra_group) == nullptr) {
        REQUIRE(run_logged({"groupadd", extra_group}, dir).exit_code == 0);
    }
    if (::getpwnam(test_user) == nullptr) {
        REQUIRE(run_logged({"useradd", "-m", "-s", "/bin/sh", "-G", extra_group, test_user}, dir)
                    .exit_code == 0);
    }
    if (::getpwnam(other_user) == nullptr) {
        REQUIRE(run_logged({"useradd", "-m", "-s", "/bin/sh", other_user}, dir).exit_code == 0);
    }
    const passwd* other = ::getpwnam(other_user);
    REQUIRE(other != nullptr);
    const std::string secret = std::string(other->pw_dir) + "/secret";
    write_text(secret, "top secret\n", 0600);
    REQUIRE(::chown(secret.c_str(), other->pw_uid, other->pw_gid) == 0);
}

/// The parent of `pid` (PPid: in /proc/PID/status), -1 if unknown.
pid_t parent_of(pid_t pid)
{
    const std::string status = read_text("/proc/" + std::to_string(pid) + "/status");
    const auto at = status.find("\nPPid:");
    return at == std::string::npos ? -1 : static_cast<pid_t>(std::stol(status.substr(at + 6)));
}

/// Value after "key=" up to the end of its line in `out`.
std::string value_of(const std::string& out, const std::string& key)
{
    const auto at = out.find(key + "=");
    if (at == std::string::npos) {
        return "";
    }
    const auto end = out.find('\n', at);
    return out.substr(at + key.size() + 1, end - at - key.size() - 1);
}

/// What a Host's burrowd gets beyond the defaults.
struct HostSetup {
    std::string config_tail = {};  ///< appended to its configuration (Match blocks)
    std::string host_key_type = "ed25519";
    unsigned host_key_bits = 0;
};

/// A burrowd the test user logs in to with a key.
struct Host {
    explicit Host(const HostSetup& setup = {})
        : host_key(make_openssh_key(dir, "host_key", setup.host_key_type, setup.host_key_bits)),
          user_key(make_openssh_key(dir, "user_key")),
          authorized_keys(dir.file("authorized_keys")),
          server(ServerKind::burrowd, dir, settings(setup.config_tail))
    {
        ::chmod(dir.path().c_str(), 0755);  // the user reads authorized_keys
        write_text(authorized_keys, user_key.public_blob_line() + " test@interop\n", 0644);
    }

    std::vector<std::string> ssh_command(const std::vector<std::string>& extra,
                                         const std::string& command) const
    {
        return openssh_login(server.port(), user_key.private_path, test_user, extra, command);
    }

    RunResult ssh(const std::string& command, const std::vector<std::string>& extra = {}) const
    {
        return run_logged(ssh_command(extra, command), dir);
    }

    ServerSettings settings(const std::string& config_tail) const
    {
        ServerSettings out{{host_key.private_path}, authorized_keys, {}};
        out.config_tail = config_tail;
        return out;
    }

    TempDir dir;
    KeyPair host_key;
    KeyPair user_key;
    std::string authorized_keys;
    Server server;
};

/// uid of the TCP socket listening on `port` (from /proc/net/tcp and tcp6);
/// -1 if there is none.
long listener_uid(uint16_t port)
{
    char hex_port[8];
    std::snprintf(hex_port, sizeof hex_port, ":%04X", port);
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retrans;
            long uid = -1;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retrans >> uid;
            if (state == "0A" && local.ends_with(hex_port)) {
                return uid;
            }
        }
    }
    return -1;
}

}  // namespace

TEST_CASE("burrowd: after authentication the connection's process is the user's for good",
          "[interop][privileges]")
{
    const TempDir scratch;
    ensure_users(scratch);
    const Host host;
    const passwd* pw = ::getpwnam(test_user);
    const group* gr = ::getgrnam(extra_group);
    REQUIRE((pw != nullptr && gr != nullptr));
    const std::string uid = std::to_string(pw->pw_uid);
    const std::string gid = std::to_string(pw->pw_gid);

    // The command's parent is the connection's user process; its parent the
    // root monitor. The command prints them while the connection is alive.
    const RunResult result = host.ssh(
        "echo uid=$(id -u); echo gid=$(id -g); echo groups=$(id -G); "
        "echo user_process=$PPID; "
        "grep -E '^(Uid|Gid|Groups):' /proc/$PPID/status | tr '\\t' ' '; "
        "echo dumpable=$(test -r /proc/$PPID/environ && echo readable || echo unreadable); "
        "monitor=$(awk '/^PPid:/{print $2}' /proc/$PPID/status); echo monitor=$monitor; "
        "grep -E '^Uid:' /proc/$monitor/status | sed 's/^/monitor /' | tr '\\t' ' '; "
        "echo title=$(tr '\\0' ' ' < /proc/$PPID/cmdline); "
        "echo monitor_title=$(tr '\\0' ' ' < /proc/$monitor/cmdline); "
        "cat /home/burrowother/secret; echo secret_rc=$?");
    INFO("burrowd log:\n" << tail(host.server.log()));
    REQUIRE(result.exit_code == 0);
    CHECK(value_of(result.out, "uid") == uid);
    CHECK(value_of(result.out, "gid") == gid);
    CHECK_THAT(value_of(result.out, "groups"), Catch::Contains(std::to_string(gr->gr_gid)));
    // Real, effective, saved and filesystem ids are all the user's.
    CHECK_THAT(result.out, Catch::Contains("Uid: " + uid + " " + uid + " " + uid + " " + uid));
    CHECK_THAT(result.out, Catch::Contains("Gid: " + gid + " " + gid + " " + gid + " " + gid));
    CHECK_THAT(result.out, Catch::Contains(std::to_string(gr->gr_gid)));
    // The user cannot look into the process that holds the keys.
    CHECK(value_of(result.out, "dumpable") == "unreadable");
    // The monitor stays root.
    CHECK_THAT(result.out, Catch::Contains("monitor Uid: 0 0 0 0"));
    // Process titles, as sshd shows them.
    CHECK(value_of(result.out, "title") == std::string("burrowd: ") + test_user + "@notty");
    CHECK(value_of(result.out, "monitor_title") ==
          std::string("burrowd: ") + test_user + " [priv]");
    // With a pty the title names it.
    const RunResult tty = host.ssh("tr '\\0' ' ' < /proc/$PPID/cmdline; echo; tty", {"-tt"});
    CHECK(tty.exit_code == 0);
    CHECK_THAT(tty.out, Catch::Contains(std::string("burrowd: ") + test_user + "@pts/"));
    // Another user's private file stays unreadable.
    CHECK_THAT(result.err, Catch::Contains("Permission denied"));
    CHECK(value_of(result.out, "secret_rc") == "1");
    CHECK_THAT(result.out, !Catch::Contains("top secret"));
}

TEST_CASE("burrowd: forwarded sockets and the agent socket belong to the user",
          "[interop][privileges]")
{
    const TempDir scratch;
    ensure_users(scratch);
    const Host host;
    const passwd* pw = ::getpwnam(test_user);
    REQUIRE(pw != nullptr);

    SECTION("-R TCP listener and -R Unix socket")
    {
        const uint16_t port = free_loopback_port();
        const std::string socket_path = "/tmp/burrowpriv-" + std::to_string(::getpid()) + ".sock";
        ::unlink(socket_path.c_str());
        const std::string marker = host.dir.file("ready");
        // ssh stays connected until the test has looked at the sockets.
        const std::vector<std::string> argv =
            host.ssh_command({"-o", "ExitOnForwardFailure=yes", "-R",
                              "127.0.0.1:" + std::to_string(port) + ":127.0.0.1:9", "-R",
                              socket_path + ":127.0.0.1:9"},
                             "sleep 20");
        Process ssh(argv, Redirects{"/dev/null", host.dir.file("out"), host.dir.file("err")});
        REQUIRE(wait_until([&] { return listener_uid(port) >= 0; }, wait_timeout));
        INFO("burrowd log:\n" << tail(host.server.log()));
        CHECK(listener_uid(port) == static_cast<long>(pw->pw_uid));
        struct stat st {};
        REQUIRE(wait_until([&] { return ::lstat(socket_path.c_str(), &st) == 0; }, wait_timeout));
        CHECK(st.st_uid == pw->pw_uid);
        CHECK(st.st_gid == pw->pw_gid);
        ssh.terminate();
        ::unlink(socket_path.c_str());
    }
    SECTION("the agent socket (ssh -A)")
    {
        const std::string agent_socket = host.dir.file("agent.sock");
        const RunResult agent = run_logged({"ssh-agent", "-s", "-a", agent_socket}, host.dir);
        REQUIRE(agent.exit_code == 0);
        const std::string pid_text = value_of(agent.out, "SSH_AGENT_PID");
        const pid_t agent_pid =
            static_cast<pid_t>(std::stol(pid_text.substr(0, pid_text.find(';'))));
        std::vector<std::string> argv =
            host.ssh_command({"-A"}, "stat -c 'sock %u %g %a' \"$SSH_AUTH_SOCK\"");
        argv.insert(argv.begin(), {"env", "SSH_AUTH_SOCK=" + agent_socket});
        const RunResult result = run_logged(argv, host.dir);
        ::kill(agent_pid, SIGTERM);
        INFO("burrowd log:\n" << tail(host.server.log()));
        CHECK(result.exit_code == 0);
        CHECK_THAT(result.out, Catch::Contains("sock " + std::to_string(pw->pw_uid) + " " +
                                               std::to_string(pw->pw_gid) + " 600"));
    }
}

TEST_CASE("burrowd: a crashed connection process leaves the listener and other connections up",
          "[interop][privileges]")
{
    const TempDir scratch;
    ensure_users(scratch);
    Host host;

    // Connection A reports its user process and then waits; connection B
    // runs alongside and must finish normally after A's process crashed.
    Process a(host.ssh_command({}, "echo pid=$PPID; exec sleep 60"),
              Redirects{"/dev/null", host.dir.file("a.out"), host.dir.file("a.err")});
    Process b(host.ssh_command({}, "echo pid=$PPID; exec sleep 60"),
              Redirects{"/dev/null", host.dir.file("b.out"), host.dir.file("b.err")});
    std::string a_pid;
    std::string b_pid;
    REQUIRE(wait_until(
        [&] {
            a_pid = value_of(read_text(host.dir.file("a.out")), "pid");
            b_pid = value_of(read_text(host.dir.file("b.out")), "pid");
            return !a_pid.empty() && !b_pid.empty();
        },
        wait_timeout));
    const pid_t user_process = static_cast<pid_t>(std::stol(a_pid));
    const pid_t monitor = parent_of(user_process);
    REQUIRE(monitor > 0);
    REQUIRE(::kill(user_process, SIGSEGV) == 0);
    // A's client sees its connection end; its monitor exits too.
    const std::optional<int> a_exit = a.wait_for_exit(wait_timeout);
    INFO("burrowd log:\n" << tail(host.server.log()));
    REQUIRE(a_exit.has_value());
    CHECK(*a_exit == 255);
    CHECK(wait_until([&] { return ::kill(monitor, 0) != 0; }, wait_timeout));
    // The listener and B are unaffected; a new connection from the same
    // address works: a signal after login (which the user could send) is no
    // crash penalty for the source.
    CHECK(host.server.running());
    const RunResult c = host.ssh("echo still-serving");
    CHECK(c.exit_code == 0);
    CHECK_THAT(c.out, Catch::Contains("still-serving"));
    CHECK(b.running());
    CHECK(::kill(static_cast<pid_t>(std::stol(b_pid)), 0) == 0);
    b.terminate();
}

}  // namespace burrow::interop_test

namespace burrow::interop_test {
namespace {

/// A minimal root-owned tree to chroot into: /bin/sh (dash) with the
/// libraries it needs and a marker file. Outside /tmp, whose mode (1777)
/// ChrootDirectory refuses, as sshd does. Removed on destruction.
class ChrootTree final {
public:
    explicit ChrootTree(const TempDir& scratch)
        : m_root("/opt/burrow-chroot-" + std::to_string(::getpid()))
    {
        const std::string script = "set -e; rm -rf '" + m_root + "'; mkdir -p '" + m_root +
                                   "/bin'; cp /bin/dash '" + m_root +
                                   "/bin/sh'; for lib in $(ldd /bin/dash | grep -o '/[^ ]*'); do "
                                   "mkdir -p \"" +
                                   m_root + "$(dirname $lib)\"; cp \"$lib\" \"" + m_root +
                                   "$lib\"; done; "
                                   "touch '" +
                                   m_root + "/inside-chroot'; chmod -R a+rX,go-w '" + m_root + "'";
        const RunResult made = run({"sh", "-c", script}, RunOptions{scratch.path()});
        if (made.exit_code != 0) {
            throw std::runtime_error("cannot build the chroot: " + made.err);
        }
    }
    ~ChrootTree() { std::system(("rm -rf '" + m_root + "'").c_str()); }
    ChrootTree(const ChrootTree&) = delete;
    ChrootTree& operator=(const ChrootTree&) = delete;
    const std::string& root() const { return m_root; }

private:
    std::string m_root;
};

}  // namespace

TEST_CASE("burrowd applies Match blocks and the access lists for the user that logs in",
          "[interop][privileges][match]")
{
    const TempDir scratch;
    ensure_users(scratch);
    const Host host(HostSetup{std::string("DenyUsers ") + other_user + "\n" + "Match User " +
                              test_user + " Address 127.0.0.2\n" +
                              "    ForceCommand echo matched-two\n" + "Match User " + test_user +
                              "\n" + "    ForceCommand echo matched-user\n"});
    const Server& server = host.server;
    const auto ssh = [&](const std::string& user, const std::vector<std::string>& extra) {
        return run_logged(openssh_login(server.port(), host.user_key.private_path, user, extra,
                                        "echo client-command"),
                          host.dir);
    };
    const RunResult user_block = ssh(test_user, {});
    const RunResult address_block = ssh(test_user, {"-b", "127.0.0.2"});
    const RunResult denied = ssh(other_user, {});
    INFO("burrowd log:\n" << tail(server.log()));
    CHECK(user_block.exit_code == 0);
    CHECK_THAT(user_block.out, Catch::Contains("matched-user"));
    CHECK(address_block.exit_code == 0);
    CHECK_THAT(address_block.out, Catch::Contains("matched-two"));
    CHECK(denied.exit_code == 255);
    CHECK_THAT(server.log(), Catch::Contains(std::string("User ") + other_user +
                                             " from 127.0.0.1 not allowed because listed in "
                                             "DenyUsers"));
}

TEST_CASE("burrowd ChrootDirectory confines the user's session", "[interop][privileges][chroot]")
{
    const TempDir scratch;
    ensure_users(scratch);
    const ChrootTree tree(scratch);
    const Host host(HostSetup{std::string("Match User ") + test_user + "\n" +
                              "    ChrootDirectory " + tree.root() + "\n"});
    const Server& server = host.server;
    const RunResult result = host.ssh("echo root: /*");
    INFO("burrowd log:\n" << tail(server.log()));
    CHECK(result.exit_code == 0);
    // Only the chroot's entries are visible.
    CHECK_THAT(result.out, Catch::Contains("/inside-chroot"));
    CHECK_THAT(result.out, !Catch::Contains("/etc"));
    CHECK_THAT(result.out, !Catch::Contains("/home"));
}

TEST_CASE("burrowd re-keys with an RSA host key after the drop and leaves no process behind",
          "[interop][privileges][rekey]")
{
    const TempDir scratch;
    ensure_users(scratch);
    // RSA signatures run on Botan's thread pool: the user's process must be
    // able to sign again (each re-key) after it dropped privileges.
    const Host host(HostSetup{"", "rsa", 3072});
    const Server& server = host.server;
    const RunResult result = host.ssh(
        "echo pid=$PPID; echo monitor=$(awk '/^PPid:/{print $2}' /proc/$PPID/status); "
        "head -c 1000000 /dev/zero | wc -c",
        {"-o", "HostKeyAlgorithms=rsa-sha2-256", "-o", "RekeyLimit=64K"});
    INFO("burrowd log:\n" << tail(server.log()));
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("1000000"));
    // Both the user's process and its monitor end with the connection.
    const std::string pid = value_of(result.out, "pid");
    const std::string monitor = value_of(result.out, "monitor");
    REQUIRE((!pid.empty() && !monitor.empty()));
    const auto gone = [](const std::string& p) {
        return wait_until([&] { return ::kill(static_cast<pid_t>(std::stol(p)), 0) != 0; },
                          wait_timeout);
    };
    CHECK(gone(pid));
    CHECK(gone(monitor));
}

}  // namespace burrow::interop_test
