// burrowd's interactive sessions seen from OpenSSH's ssh (issue D): a pty with the client's
// terminal modes and size, window changes, Ctrl-C, full-screen programs, the login
// environment, env requests only when accepted, ForceCommand, PermitTTY, subsystems (sftp
// through Debian's sftp-server), MaxSessions, exit codes and signals, all output before the
// exit status, and SIGHUP when the connection drops.

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "tmux.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);
constexpr auto screen_timeout = std::chrono::seconds(15);

/// A burrowd with fresh keys and extra sshd_config lines.
struct SessionHost {
    explicit SessionHost(const std::vector<std::string>& options = {})
        : host_key(make_openssh_key(dir, "host")),
          user_key(make_openssh_key(dir, "user")),
          authorized_keys(dir.file("authorized_keys")),
          server(
              ServerKind::burrowd, dir,
              ServerSettings{{host_key.private_path}, prepare(authorized_keys, user_key), options})
    {
    }
    static std::string prepare(const std::string& path, const KeyPair& key)
    {
        authorize(path, key);
        return path;
    }
    /// OpenSSH ssh's command line for `command` with `extra` options.
    std::vector<std::string> ssh(const std::string& command,
                                 const std::vector<std::string>& extra = {}) const
    {
        ClientOptions options{user_key.private_path, dir.file("known_hosts"), "no", ""};
        options.extra = extra;
        return client_command(ClientKind::openssh, server.port(), options, command);
    }
    RunResult run_ssh(const std::string& command, const std::vector<std::string>& extra = {}) const
    {
        const std::vector<std::string> argv = ssh(command, extra);
        RunResult result = run(argv, RunOptions{dir.path(), command_timeout});
        UNSCOPED_INFO(describe(argv, result));
        return result;
    }

    TempDir dir;
    KeyPair host_key;
    KeyPair user_key;
    std::string authorized_keys;
    Server server;
};

/// /run/utmp is made at boot (systemd-tmpfiles: root:utmp 0664); containers may lack it, and
/// login(1) and sshd(8) never create it. Make it as the boot would so who(1) can be checked.
void ensure_utmp()
{
    if (access("/run/utmp", F_OK) != 0) {
        write_text("/run/utmp", "", 0664);
        const RunResult owned = run({"chown", "root:utmp", "/run/utmp"}, RunOptions{"/tmp"});
        REQUIRE(owned.exit_code == 0);
    }
}

/// `argv` as one /bin/sh command line.
std::string shell_line(const std::vector<std::string>& argv)
{
    std::string line;
    for (const std::string& arg : argv) {
        std::string quoted = "'";
        for (const char c : arg) {
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        line += (line.empty() ? "" : " ") + quoted + "'";
    }
    return line;
}

/// Types `command; echo <marker>` and waits for the marker's output. The marker is computed
/// by the shell ($((...))) so the echoed command line itself never matches.
bool run_in_pane(Tmux& pane, const std::string& command, int n)
{
    pane.type_line(command + "; echo DONE$((" + std::to_string(n) + "+1000))");
    const bool done = pane.wait_for("DONE" + std::to_string(n + 1000), screen_timeout);
    if (!done) {
        UNSCOPED_INFO("screen:\n" << pane.screen());
    }
    return done;
}

}  // namespace

TEST_CASE("ssh -> burrowd: a pty shell with the client's modes, size and TERM",
          "[interop][sessions][tty]")
{
    ensure_utmp();
    SessionHost host({"LogLevel=VERBOSE"});  // logs "Starting session: shell on pts/N"
    INFO("burrowd log:\n" << tail(host.server.log()));
    // The local terminal gets an unusual interrupt character and -echoctl first: the remote
    // pty must show the same, proving the modes travelled (RFC 4254 §8).
    Tmux pane(host.dir,
              "stty intr ^X -echoctl; echo LOCALTERM=$TERM; " + shell_line(host.ssh("", {"-t"})) +
                  "; echo EXIT=$?",
              100, 30);
    // (an empty command string still asks for a shell: ssh treats "" as no command)
    // Type only once the remote shell runs, so local echo cannot interleave with the output.
    REQUIRE(wait_until(
        [&] {
            return host.server.log().find("Starting session: shell on pts/") != std::string::npos;
        },
        screen_timeout));
    REQUIRE(pane.wait_for("LOCALTERM="));
    REQUIRE(run_in_pane(pane, "stty -a | tr ';' '\\n' | grep -E 'intr|echoctl' | tr -d ' '", 1));
    const std::string screen = pane.screen();
    CHECK(screen.find("intr=^X") != std::string::npos);
    CHECK(screen.find("-echoctl") != std::string::npos);

    REQUIRE(run_in_pane(pane, "echo REMOTETERM=$TERM TTY=${SSH_TTY%%[0-9]*}", 2));
    const std::string term_screen = pane.screen();
    INFO("screen:\n" << term_screen);
    const size_t local = term_screen.find("LOCALTERM=");
    REQUIRE(local != std::string::npos);
    const std::string local_term =
        term_screen.substr(local + 10, term_screen.find('\n', local) - local - 10);
    CHECK(term_screen.find("REMOTETERM=" + local_term + " TTY=/dev/pts/") != std::string::npos);

    SECTION("window size and changes")
    {
        REQUIRE(run_in_pane(pane, "echo SIZE=$(stty size)", 3));
        CHECK(pane.screen().find("SIZE=30 100") != std::string::npos);
        pane.resize(120, 40);
        // The remote shell sees SIGWINCH and the new size (RFC 4254 §6.7).
        REQUIRE(wait_until(
            [&] {
                return run_in_pane(pane, "echo SIZE=$(stty size)", 4) &&
                       pane.screen().find("SIZE=40 120") != std::string::npos;
            },
            screen_timeout));
    }
    SECTION("the interrupt character stops a remote sleep")
    {
        pane.type_line("sleep 4321");
        // Interrupt only once sleep runs (the same machine: look for the process).
        REQUIRE(wait_until(
            [&] {
                return run({"pgrep", "-f", "^sleep 4321$"}, RunOptions{host.dir.path()})
                           .exit_code == 0;
            },
            screen_timeout));
        pane.keys({"C-x"});
        REQUIRE(run_in_pane(pane, "echo interrupted", 5));
    }
    SECTION("vim and less start and quit cleanly")
    {
        pane.type_line("vim -u NONE -N " + host.dir.file("new.txt") + "; echo VIM=$?");
        REQUIRE(pane.wait_for("[New", screen_timeout));
        pane.type("ihello from vim");
        pane.keys({"Escape"});
        pane.type_line(":wq");
        // Keys typed before vim exits would be read (and dropped) by vim.
        REQUIRE(pane.wait_for("VIM=0", screen_timeout));
        REQUIRE(run_in_pane(pane, "cat " + host.dir.file("new.txt"), 6));
        CHECK(pane.screen().find("hello from vim") != std::string::npos);

        pane.type_line("seq 1 500 | less; echo LESS=$?");
        REQUIRE(pane.wait_for("\n29\n", screen_timeout));
        pane.type("q");
        REQUIRE(pane.wait_for("LESS=0", screen_timeout));
        REQUIRE(run_in_pane(pane, "echo after less", 7));
    }
    SECTION("who lists the session while it lasts, last records it")
    {
        REQUIRE(run_in_pane(pane, "echo LINE=${SSH_TTY#/dev/}=", 8));
        const std::string screen_now = pane.screen();
        const size_t at = screen_now.find("LINE=pts/");
        REQUIRE(at != std::string::npos);
        const std::string line = screen_now.substr(at + 5, screen_now.find('=', at + 5) - at - 5);
        const auto listed = [&] {
            const RunResult who = run({"who"}, RunOptions{host.dir.path()});
            return who.out.find(line + " ") != std::string::npos &&
                   who.out.find("(127.0.0.1)") != std::string::npos;
        };
        CHECK(listed());
        pane.type_line("exit");
        REQUIRE(pane.wait_for("EXIT=0", screen_timeout));
        CHECK(wait_until([&] { return !listed(); }, screen_timeout));
        const RunResult last = run({"last", "-i", "-n", "50"}, RunOptions{host.dir.path()});
        INFO(last.out);
        CHECK(last.out.find(line + " ") != std::string::npos);
    }
    SECTION("exit status of the shell")
    {
        pane.type_line("exit 3");
        // The pane's shell prints ssh's exit status (tmux's own pane-death bookkeeping is
        // not reliable enough to wait on).
        CHECK(pane.wait_for("EXIT=3", screen_timeout));
    }
}

TEST_CASE("burrowd sends all output before the exit status", "[interop][sessions]")
{
    SessionHost host;
    INFO("burrowd log:\n" << tail(host.server.log()));
    const std::string out = host.dir.file("out.bin");
    const std::vector<std::string> argv = host.ssh("head -c 10485760 /dev/urandom; exit 7");
    const RunResult result =
        run(argv, RunOptions{host.dir.path(), command_timeout, "/dev/null", out});
    INFO(describe(argv, result));
    CHECK(result.exit_code == 7);
    CHECK(file_size(out) == 10485760);
}

TEST_CASE("exit codes and exit-signal", "[interop][sessions]")
{
    SessionHost host;
    INFO("burrowd log:\n" << tail(host.server.log()));
    CHECK(host.run_ssh("true").exit_code == 0);
    CHECK(host.run_ssh("false").exit_code == 1);
    CHECK(host.run_ssh("exit 255").exit_code == 255);
    // RFC 4254 §6.10 exit-signal: ssh exits with 255 and says which signal.
    const RunResult killed = host.run_ssh("kill -TERM $$", {"-o", "LogLevel=INFO"});
    CHECK(killed.exit_code == 255);
    const RunResult with_tty = host.run_ssh("kill -TERM $$", {"-tt", "-o", "LogLevel=INFO"});
    CHECK(with_tty.exit_code == 255);
}

TEST_CASE("env requests are honoured only for AcceptEnv names", "[interop][sessions]")
{
    SessionHost host({"AcceptEnv=LANG LC_*"});
    INFO("burrowd log:\n" << tail(host.server.log()));
    std::vector<std::string> argv = {"env", "LANG=fr_FR.UTF-8", "LC_BURROW=yes",
                                     "BURROW_SECRET=no"};
    const std::vector<std::string> ssh =
        host.ssh("echo \"$LANG|$LC_BURROW|${BURROW_SECRET-unset}\"",
                 {"-o", "SendEnv=LANG LC_BURROW BURROW_SECRET"});
    argv.insert(argv.end(), ssh.begin(), ssh.end());
    const RunResult result = run(argv, RunOptions{host.dir.path(), command_timeout});
    INFO(describe(argv, result));
    CHECK(result.exit_code == 0);
    CHECK(result.out == "fr_FR.UTF-8|yes|unset\n");
}

TEST_CASE("the session environment is a login environment", "[interop][sessions]")
{
    SessionHost host;
    INFO("burrowd log:\n" << tail(host.server.log()));
    const RunResult result = host.run_ssh(
        "echo \"$USER|$LOGNAME|$HOME|$(pwd)|${MAIL%/*}|${SSH_CONNECTION%% *}|${SSH_TTY-none}\"");
    CHECK(result.exit_code == 0);
    const std::string user = login_user();
    const std::string home = user == "root" ? "/root" : "/home/" + user;
    CHECK(result.out ==
          user + "|" + user + "|" + home + "|" + home + "|/var/mail|127.0.0.1|none\n");
}

TEST_CASE("ForceCommand replaces the command and keeps SSH_ORIGINAL_COMMAND", "[interop][sessions]")
{
    SessionHost host({"ForceCommand=echo forced:$SSH_ORIGINAL_COMMAND"});
    INFO("burrowd log:\n" << tail(host.server.log()));
    const RunResult result = host.run_ssh("ls /");
    CHECK(result.exit_code == 0);
    CHECK(result.out == "forced:ls /\n");
}

TEST_CASE("PermitTTY no refuses the pty but runs the command", "[interop][sessions]")
{
    SessionHost host({"PermitTTY=no"});
    INFO("burrowd log:\n" << tail(host.server.log()));
    const RunResult result = host.run_ssh("tty || true", {"-tt", "-o", "LogLevel=INFO"});
    // ssh -tt (RequestTTY force) gives up when the pty is refused.
    CHECK(result.err.find("PTY allocation request failed") != std::string::npos);
    CHECK(wait_until(
        [&] { return host.server.log().find("Pty allocation disabled") != std::string::npos; },
        screen_timeout));
    // Without a pty request the command runs.
    CHECK(host.run_ssh("tty || true").out == "not a tty\n");
}

TEST_CASE("sftp and scp through the Subsystem directive", "[interop][sessions][sftp]")
{
    SessionHost host({"Subsystem=sftp /usr/lib/openssh/sftp-server"});
    INFO("burrowd log:\n" << tail(host.server.log()));
    const std::string& source = random_file(3);
    const std::string batch = host.dir.file("batch");
    write_text(batch, "put " + source + " " + host.dir.file("put.bin") + "\nget " +
                          host.dir.file("put.bin") + " " + host.dir.file("got.bin") + "\n");
    const std::vector<std::string> argv = {"sftp",
                                           "-F",
                                           "/dev/null",
                                           "-b",
                                           batch,
                                           "-P",
                                           std::to_string(host.server.port()),
                                           "-i",
                                           host.user_key.private_path,
                                           "-o",
                                           "IdentitiesOnly=yes",
                                           "-o",
                                           "StrictHostKeyChecking=no",
                                           "-o",
                                           "UserKnownHostsFile=" + host.dir.file("known_hosts"),
                                           "-o",
                                           "BatchMode=yes",
                                           login_user() + "@127.0.0.1"};
    const RunResult result = run(argv, RunOptions{host.dir.path(), command_timeout});
    INFO(describe(argv, result));
    REQUIRE(result.exit_code == 0);
    CHECK(sha256_of_file(host.dir.file("got.bin"), host.dir.path()) ==
          sha256_of_file(source, host.dir.path()));

    const std::vector<std::string> scp = {"scp",
                                          "-F",
                                          "/dev/null",
                                          "-P",
                                          std::to_string(host.server.port()),
                                          "-i",
                                          host.user_key.private_path,
                                          "-o",
                                          "StrictHostKeyChecking=no",
                                          "-o",
                                          "UserKnownHostsFile=" + host.dir.file("known_hosts"),
                                          "-o",
                                          "BatchMode=yes",
                                          source,
                                          login_user() + "@127.0.0.1:" + host.dir.file("scp.bin")};
    const RunResult copied = run(scp, RunOptions{host.dir.path(), command_timeout});
    INFO(describe(scp, copied));
    REQUIRE(copied.exit_code == 0);
    CHECK(sha256_of_file(host.dir.file("scp.bin"), host.dir.path()) ==
          sha256_of_file(source, host.dir.path()));

    // An unknown subsystem is refused with sshd's log line.
    const RunResult unknown = host.run_ssh("nosuch", {"-s"});
    CHECK(unknown.exit_code != 0);
    CHECK(wait_until(
        [&] { return host.server.log().find("subsystem request for nosuch") != std::string::npos; },
        screen_timeout));
}

TEST_CASE("MaxSessions limits the sessions of one connection", "[interop][sessions]")
{
    SessionHost host({"MaxSessions=1"});
    INFO("burrowd log:\n" << tail(host.server.log()));
    // One connection, several sessions: OpenSSH's connection multiplexing.
    const std::string control = host.dir.file("mux");
    Process master(host.ssh("", {"-M", "-S", control, "-N"}), Redirects{});
    REQUIRE(wait_until([&] { return access(control.c_str(), F_OK) == 0; }, screen_timeout));
    const std::string started = host.dir.file("started");
    Process first(host.ssh("touch " + started + "; sleep 60", {"-S", control}), Redirects{});
    REQUIRE(wait_until([&] { return access(started.c_str(), F_OK) == 0; }, screen_timeout));
    const RunResult second = host.run_ssh("echo second", {"-S", control, "-o", "LogLevel=INFO"});
    // ssh's multiplexing client reports the refusal (and then falls back to a connection
    // of its own, which has its own session budget).
    CHECK(second.err.find("Session open refused by peer") != std::string::npos);
    CHECK(wait_until(
        [&] { return host.server.log().find("MaxSessions 1 reached") != std::string::npos; },
        screen_timeout));
}

TEST_CASE("a dropped connection sends SIGHUP to the session", "[interop][sessions]")
{
    SessionHost host;
    INFO("burrowd log:\n" << tail(host.server.log()));
    const std::string ready = host.dir.file("ready");
    const std::string hup = host.dir.file("hup");
    // SIGPIPE is ignored: the shell reports the killed sleep on its (closed) stderr first.
    Process client(host.ssh("trap '' PIPE; trap 'echo hup > " + hup + "; exit 0' HUP; touch " +
                            ready + "; while :; do sleep 0.2; done"),
                   Redirects{});
    REQUIRE(wait_until([&] { return access(ready.c_str(), F_OK) == 0; }, screen_timeout));
    ::kill(client.pid(), SIGKILL);
    CHECK(wait_until([&] { return access(hup.c_str(), F_OK) == 0; }, screen_timeout));
}

}  // namespace burrow::interop_test
