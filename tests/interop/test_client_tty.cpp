// burrow's interactive sessions (issue D, client side), driven through tmux:
// terminal modes and size reach the remote pty, resizing follows, ^C goes to
// the remote program, the escapes (~. ~# ~?) work and the local terminal is
// sane afterwards; exit codes; -tt through a pipe. The server kind is a
// parameter so the same checks can run against burrowd once it has ptys.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <functional>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto wait_limit = std::chrono::seconds(20);
constexpr auto command_timeout = std::chrono::seconds(30);

/// Fail the test with `what` if `condition` does not hold within wait_limit.
void require_within(const std::function<bool()>& condition, const std::string& what,
                    const std::function<std::string()>& context)
{
    if (!wait_until(condition, wait_limit)) {
        FAIL("timed out waiting for " << what << "\n" << context());
    }
}

/// A tmux server on a private socket with one 100x30 window running a
/// script: local `stty` settings, burrow, then its exit code and the local
/// `stty -a` written to files. Killed on destruction.
class TmuxSession final {
public:
    TmuxSession(const TempDir& dir, const std::string& local_stty,
                const std::vector<std::string>& burrow_argv)
        : m_dir(dir), m_socket(dir.file("tmux.sock"))
    {
        std::string command;
        for (const std::string& arg : burrow_argv) {
            command += " '" + arg + "'";
        }
        const std::string script = dir.file("pane.sh");
        write_text(script,
                   "#!/bin/sh\n" + (local_stty.empty() ? "" : "stty " + local_stty + "\n") +
                       command + "\necho $? > " + dir.file("exit.tmp") + "\nstty -a > " +
                       dir.file("stty_after") + "\nmv " + dir.file("exit.tmp") + " " +
                       dir.file("exit") + "\n",
                   0700);
        tmux({"-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", script});
        tmux({"set-option", "-t", "t", "remain-on-exit", "on"});
    }
    ~TmuxSession()
    {
        run({"tmux", "-S", m_socket, "kill-server"}, RunOptions{m_dir.path(), command_timeout});
    }
    TmuxSession(const TmuxSession&) = delete;
    TmuxSession& operator=(const TmuxSession&) = delete;

    /// Type `text` literally (no key names).
    void type(const std::string& text) { tmux({"send-keys", "-t", "t", "-l", "--", text}); }
    /// Press tmux key names ("Enter", "C-c").
    void keys(const std::string& names) { tmux({"send-keys", "-t", "t", names}); }
    /// The visible pane plus history, wrapped lines joined.
    std::string screen() { return tmux({"capture-pane", "-p", "-J", "-S", "-200", "-t", "t"}); }
    void wait_for_text(const std::string& text)
    {
        require_within([&] { return screen().find(text) != std::string::npos; },
                       "\"" + text + "\" on the screen", [&] { return screen(); });
    }
    /// Run `command` in the remote shell and wait for its output to finish:
    /// the marker is computed by the shell so the typed line never matches.
    void remote(const std::string& command)
    {
        ++m_marker;
        type(command + "; echo DONE$((" + std::to_string(m_marker) + "+1000))");
        keys("Enter");
        wait_for_text("DONE" + std::to_string(m_marker + 1000));
    }
    /// burrow's exit code once the pane script has recorded it.
    int wait_exit()
    {
        const std::string path = m_dir.file("exit");
        require_within([&] { return ::access(path.c_str(), F_OK) == 0; }, "burrow to exit",
                       [&] { return screen(); });
        return std::stoi(read_text(path));
    }
    bool exited() const { return ::access(m_dir.file("exit").c_str(), F_OK) == 0; }
    std::string local_stty_after() const { return read_text(m_dir.file("stty_after")); }

private:
    std::string tmux(std::vector<std::string> args)
    {
        args.insert(args.begin(), {"tmux", "-S", m_socket});
        const RunResult result = run(args, RunOptions{m_dir.path(), command_timeout});
        if (result.exit_code != 0) {
            throw std::runtime_error(describe(args, result));
        }
        return result.out;
    }

    const TempDir& m_dir;
    std::string m_socket;
    int m_marker = 0;
};

/// The burrow command line for `served` (no remote command: a shell).
std::vector<std::string> burrow_argv(const ServedHost& served, std::vector<std::string> extra,
                                     const std::string& remote_command = "")
{
    ClientOptions options;
    options.identity = served.user_key.private_path;
    options.known_hosts = served.dir.file("known_hosts");
    options.extra = extra;
    std::vector<std::string> argv =
        client_command(ClientKind::burrow, served.server.port(), options, remote_command);
    if (remote_command.empty()) {
        argv.pop_back();
    }
    return argv;
}

/// The servers these checks run against (burrowd joins once it allocates ptys).
const std::vector<ServerKind>& tty_servers()
{
    static const std::vector<ServerKind> kinds{ServerKind::openssh, ServerKind::burrowd};
    return kinds;
}

/// True if the login shell prompt has come: the remote answered a command.
void wait_for_shell(TmuxSession& tmux)
{
    tmux.remote("true");
}

}  // namespace

TEST_CASE("burrow tty: local modes and size reach the remote pty; resize follows", "[client-tty]")
{
    for (const ServerKind kind : tty_servers()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            const ServedHost served(kind);
            TmuxSession tmux(served.dir, "-echoctl intr ^K", burrow_argv(served, {}));
            wait_for_shell(tmux);
            tmux.remote("stty -a");
            const std::string screen = tmux.screen();
            INFO(screen);
            CHECK(screen.find("intr = ^K") != std::string::npos);
            CHECK(screen.find("-echoctl") != std::string::npos);
            CHECK(screen.find("icanon") != std::string::npos);

            tmux.remote("echo SIZE $(stty size)");
            tmux.wait_for_text("SIZE 30 100");
            run({"tmux", "-S", served.dir.file("tmux.sock"), "resize-window", "-t", "t", "-x",
                 "120", "-y", "40"},
                RunOptions{served.dir.path(), command_timeout});
            // The new size reaches the remote pty asynchronously: ask until it shows.
            require_within(
                [&] {
                    tmux.remote("echo SIZE $(stty size)");
                    return tmux.screen().find("SIZE 40 120") != std::string::npos;
                },
                "the remote size to follow the pane", [&] { return tmux.screen(); });
            tmux.type("exit 0");
            tmux.keys("Enter");
            CHECK(tmux.wait_exit() == 0);
            CHECK(tmux.screen().find("Connection to 127.0.0.1 closed.") != std::string::npos);
        }
    }
}

TEST_CASE("burrow tty: ^C interrupts the remote command, not burrow", "[client-tty]")
{
    for (const ServerKind kind : tty_servers()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            const ServedHost served(kind);
            TmuxSession tmux(served.dir, "", burrow_argv(served, {}));
            wait_for_shell(tmux);
            tmux.type("echo STARTED$((1+1)); sleep 100; echo SLEPT$((2+2))");
            tmux.keys("Enter");
            tmux.wait_for_text("STARTED2");
            tmux.keys("C-c");
            tmux.remote("echo AFTER");
            CHECK_FALSE(tmux.exited());
            CHECK(tmux.screen().find("SLEPT4") == std::string::npos);
            tmux.type("exit 3");
            tmux.keys("Enter");
            CHECK(tmux.wait_exit() == 3);
        }
    }
}

TEST_CASE("burrow tty: ~? ~# and ~. ; the local terminal is sane afterwards", "[client-tty]")
{
    for (const ServerKind kind : tty_servers()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            const ServedHost served(kind);
            TmuxSession tmux(served.dir, "", burrow_argv(served, {}));
            wait_for_shell(tmux);
            tmux.keys("Enter");
            tmux.type("~?");
            tmux.wait_for_text("Supported escape sequences:");
            tmux.keys("Enter");
            tmux.type("~#");
            tmux.wait_for_text("The following connections are open:");
            CHECK(tmux.screen().find("session (shell, pty)") != std::string::npos);
            tmux.keys("Enter");
            tmux.type("~C");
            tmux.wait_for_text("burrow> ");
            tmux.type("-L 1234:localhost:22");
            tmux.keys("Enter");
            tmux.wait_for_text("Forwarding port.");  // ssh(1)'s answer; the listener is real
            // ~R re-keys (RFC 4253 §9); the session carries on under the new keys.
            tmux.type("~R");
            // Escapes are swallowed: the shell still works.
            tmux.remote("echo STILL");
            tmux.keys("Enter");
            tmux.type("~.");
            CHECK(tmux.wait_exit() == 255);
            tmux.wait_for_text("Connection to 127.0.0.1 closed.");
            const std::string after = tmux.local_stty_after();
            INFO(after);
            CHECK(after.find("-icanon") == std::string::npos);
            CHECK(after.find(" icanon") != std::string::npos);
            CHECK(after.find("-echo ") == std::string::npos);
            CHECK(after.find(" echo ") != std::string::npos);
            CHECK(after.find("-isig") == std::string::npos);
            CHECK(after.find("-opost") == std::string::npos);
        }
    }
}

TEST_CASE("burrow -tt through a pipe; exit codes and remote signals", "[client-tty]")
{
    for (const ServerKind kind : tty_servers()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            const ServedHost served(kind);
            const TempDir scratch;
            const RunOptions opts{scratch.path(), command_timeout};

            RunResult r = run(burrow_argv(served, {"-tt"}, "tty; exit 3"), opts);
            INFO(describe(burrow_argv(served, {"-tt"}, "tty; exit 3"), r));
            CHECK(r.exit_code == 3);
            CHECK(r.out.find("/dev/pts/") != std::string::npos);
            CHECK(r.err.find("Connection to 127.0.0.1 closed.") != std::string::npos);

            r = run(burrow_argv(served, {}, "tty; exit 1"), opts);
            CHECK(r.exit_code == 1);
            CHECK(r.out.find("not a tty") != std::string::npos);

            r = run(burrow_argv(served, {"-t"}, "exit 0"), opts);
            CHECK(r.exit_code == 0);
            CHECK(r.err.find("Pseudo-terminal will not be allocated because stdin is not a "
                             "terminal.") != std::string::npos);
            r = run(burrow_argv(served, {"-t", "-q"}, "exit 0"), opts);
            CHECK(r.exit_code == 0);
            CHECK(r.err.empty());

            r = run(burrow_argv(served, {"-tt"}, "kill -TERM $$"), opts);
            INFO(r.err);
            CHECK(r.exit_code == 255);
            CHECK(r.err.find("killed by signal TERM") != std::string::npos);
        }
    }
}

TEST_CASE("burrow tty: SendEnv and SetEnv reach a server that accepts them", "[client-tty]")
{
    for (const ServerKind kind : tty_servers()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            const TempDir dir;
            const KeyPair host_key = make_openssh_key(dir, "host_key");
            const KeyPair user_key = make_openssh_key(dir, "user_key");
            authorize(dir.file("authorized_keys"), user_key);
            const Server server(
                kind, dir,
                ServerSettings{
                    {host_key.private_path}, dir.file("authorized_keys"), {"AcceptEnv=BURROW_*"}});
            ClientOptions options;
            options.identity = user_key.private_path;
            options.known_hosts = dir.file("known_hosts");
            options.extra = {"-o", "SendEnv=BURROW_SENT BURROW_BOTH burrow_lower", "-o",
                             "SetEnv=BURROW_SET=set BURROW_BOTH=fromset"};
            std::vector<std::string> argv = client_command(
                ClientKind::burrow, server.port(), options,
                "echo "
                "\"[$BURROW_SENT][$BURROW_SET][$BURROW_BOTH][$BURROW_UNSENT][$BURROW_LOWER]\"");
            argv.insert(argv.begin(), {"env", "BURROW_SENT=sent", "BURROW_BOTH=fromenv",
                                       "BURROW_UNSENT=no", "BURROW_LOWER=no"});
            const RunResult r = run(argv, RunOptions{dir.path(), command_timeout});
            INFO(describe(argv, r));
            CHECK(r.exit_code == 0);
            CHECK(r.out == "[sent][set][fromset][][]\n");
        }
    }
}

TEST_CASE("burrow tty: EscapeChar none sends ~. as text", "[client-tty]")
{
    const ServedHost served(ServerKind::openssh);
    TmuxSession tmux(served.dir, "", burrow_argv(served, {"-e", "none"}));
    wait_for_shell(tmux);
    tmux.keys("Enter");
    tmux.type("~.");
    tmux.keys("Enter");
    // The remote shell got "~." as a command; burrow is still connected.
    tmux.remote("echo ALIVE");
    CHECK_FALSE(tmux.exited());
    tmux.type("exit 1");
    tmux.keys("Enter");
    CHECK(tmux.wait_exit() == 1);
}

TEST_CASE("burrow tty: ~^Z suspends with the terminal restored, fg resumes", "[client-tty]")
{
    const ServedHost served(ServerKind::openssh);
    // An interactive local shell with job control runs burrow.
    TmuxSession tmux(served.dir, "", {"bash", "--norc", "--noprofile", "-i"});
    std::string command;
    for (const std::string& arg : burrow_argv(served, {})) {
        command += "'" + arg + "' ";
    }
    tmux.type(command);
    tmux.keys("Enter");
    wait_for_shell(tmux);
    tmux.keys("Enter");
    tmux.type("~");
    tmux.keys("C-z");
    tmux.wait_for_text("[suspend burrow]");
    // Back in the local shell, with a cooked terminal.
    tmux.type("stty -a | grep -c ' icanon' ; echo LOCAL$((5+5))");
    tmux.keys("Enter");
    tmux.wait_for_text("LOCAL10");
    CHECK(tmux.screen().find("\n1\n") != std::string::npos);
    tmux.type("fg");
    tmux.keys("Enter");
    tmux.remote("echo RESUMED");
    tmux.type("exit 4");
    tmux.keys("Enter");
    tmux.wait_for_text("Connection to 127.0.0.1 closed.");
    tmux.type("echo STATUS$?");
    tmux.keys("Enter");
    tmux.wait_for_text("STATUS4");
    tmux.type("exit 0");
    tmux.keys("Enter");
    CHECK(tmux.wait_exit() == 0);
}

TEST_CASE("burrow tty: SIGTERM to burrow restores the local terminal", "[client-tty]")
{
    const ServedHost served(ServerKind::openssh);
    TmuxSession tmux(served.dir, "", burrow_argv(served, {}));
    wait_for_shell(tmux);
    // The one burrow talking to this test's port (started by this test).
    const RunResult found =
        run({"pgrep", "-f", "client/burrow -p " + std::to_string(served.server.port()) + " "},
            RunOptions{served.dir.path(), command_timeout});
    REQUIRE(found.exit_code == 0);
    const pid_t pid = static_cast<pid_t>(std::stol(found.out));
    REQUIRE(::kill(pid, SIGTERM) == 0);
    CHECK(tmux.wait_exit() == 255);
    const std::string after = tmux.local_stty_after();
    INFO(after);
    CHECK(after.find("-icanon") == std::string::npos);
    CHECK(after.find("-echo ") == std::string::npos);
    CHECK(after.find("-isig") == std::string::npos);
    CHECK(after.find("-opost") == std::string::npos);
}

TEST_CASE("burrow tty: vim and less start and quit cleanly", "[client-tty]")
{
    for (const ServerKind kind : tty_servers()) {
        DYNAMIC_SECTION(name_of(kind))
        {
            const ServedHost served(kind);
            TmuxSession tmux(served.dir, "", burrow_argv(served, {}));
            wait_for_shell(tmux);
            tmux.type("vim -u NONE -N; echo VIMQUIT$((4+4))");
            tmux.keys("Enter");
            tmux.wait_for_text("VIM - Vi IMproved");
            tmux.type(":q");
            tmux.keys("Enter");
            tmux.wait_for_text("VIMQUIT8");
            tmux.type("seq 1 500 | less; echo LESSQUIT$((1+2))");
            tmux.keys("Enter");
            tmux.wait_for_text("\n29\n");
            tmux.keys("q");
            tmux.wait_for_text("LESSQUIT3");
            tmux.type("exit 0");
            tmux.keys("Enter");
            CHECK(tmux.wait_exit() == 0);
        }
    }
}

}  // namespace burrow::interop_test
