// burrowd as a VPS daemon (issue F): MaxStartups, PerSourceMaxStartups,
// LoginGraceTime, PerSourcePenalties with its exempt list, SIGHUP re-execution,
// SIGTERM and the PidFile, process titles. Real burrowd processes on loopback;
// every wait polls a condition up to a deadline.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.h"
#include "harness.h"

namespace it = burrow::interop_test;
using namespace std::chrono_literals;

namespace {

/// How long a probe waits for the server's version line or its close.
constexpr auto probe_timeout = 10s;
/// How long the daemon gets to start, restart or stop.
constexpr auto daemon_timeout = 20s;

/// A raw TCP connection to 127.0.0.1:port from `source` (127.0.0.x).
class Probe final {
public:
    Probe(uint16_t port, const std::string& source = "127.0.0.1")
    {
        m_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        inet_pton(AF_INET, source.c_str(), &local.sin_addr);
        REQUIRE(bind(m_fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
        sockaddr_in remote{};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(port);
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
        REQUIRE(connect(m_fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0);
    }
    ~Probe() { close(m_fd); }
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    /// True if the server sends its version line (a connection process
    /// serves it), false if it closes the connection first (dropped).
    bool admitted()
    {
        const std::string got = read_some(probe_timeout);
        return got.rfind("SSH-2.0-", 0) == 0;
    }
    /// True if the server closes the connection within `timeout`.
    bool closed_within(it::Clock::duration timeout)
    {
        const auto deadline = it::Clock::now() + timeout;
        while (it::Clock::now() < deadline) {
            if (read_chunk(deadline) <= 0) {
                return true;
            }
        }
        return false;
    }
    void send(const std::string& bytes)
    {
        [[maybe_unused]] const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    /// Everything received until `timeout` or the server's close.
    std::string read_some(it::Clock::duration timeout)
    {
        const auto deadline = it::Clock::now() + timeout;
        while (m_received.find('\n') == std::string::npos && it::Clock::now() < deadline) {
            if (read_chunk(deadline) <= 0) {
                break;
            }
        }
        return m_received;
    }

private:
    /// One read (or 0 at end of file, -1 on error or timeout... as 1 keeps polling).
    ssize_t read_chunk(it::Clock::time_point deadline)
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - it::Clock::now());
        pollfd p{m_fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(std::max<long>(left.count(), 0))) <= 0) {
            return 1;  // timeout: the caller's loop ends at the deadline
        }
        char buf[4096];
        const ssize_t n = recv(m_fd, buf, sizeof buf, 0);
        if (n > 0) {
            m_received.append(buf, static_cast<size_t>(n));
        }
        return n;
    }

    int m_fd = -1;
    std::string m_received;
};

/// burrowd -D -e with a config file of its own, a PidFile and a user key.
class Daemon final {
public:
    explicit Daemon(const std::string& extra_config) : m_port(it::free_loopback_port())
    {
        m_host_key = it::make_openssh_key(m_dir, "host_key");
        m_user_key = it::make_openssh_key(m_dir, "user_key");
        it::authorize(m_dir.file("authorized_keys"), m_user_key);
        write_config(extra_config);
        const std::vector<std::string> argv{it::tools().burrowd, "-D", "-e", "-p",
                                            std::to_string(m_port), "-f", config_path()};
        m_process = std::make_unique<it::Process>(argv,
                                                  it::Redirects{"/dev/null", "/dev/null", log_path()});
        // The listener's title appears once it listens. (No test connection:
        // one still being accepted would count against MaxStartups.)
        INFO(log());
        REQUIRE(wait_for_startups(0));
        REQUIRE(it::wait_until([&] { return pid_file_pid() == m_process->pid(); }, daemon_timeout));
    }

    void write_config(const std::string& extra)
    {
        it::write_text(config_path(), "ListenAddress 127.0.0.1\nHostKey " + m_host_key.private_path +
                                          "\nAuthorizedKeysFile " + m_dir.file("authorized_keys") +
                                          "\nPidFile " + pid_path() + "\n" + extra);
    }
    uint16_t port() const { return m_port; }
    pid_t pid() const { return m_process->pid(); }
    it::Process& process() { return *m_process; }
    const it::TempDir& dir() const { return m_dir; }
    const it::KeyPair& user_key() const { return m_user_key; }
    std::string config_path() const { return m_dir.file("burrowd.conf"); }
    std::string pid_path() const { return m_dir.file("burrowd.pid"); }
    std::string log_path() const { return m_dir.file("burrowd.log"); }
    std::string log() const { return it::read_text(log_path()); }
    size_t log_count(const std::string& needle) const
    {
        const std::string text = log();
        size_t count = 0;
        for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
            ++count;
        }
        return count;
    }
    bool wait_for_log(const std::string& needle, size_t count = 1)
    {
        return it::wait_until([&] { return log_count(needle) >= count; }, daemon_timeout);
    }
    pid_t pid_file_pid() const
    {
        std::ifstream in(pid_path());
        pid_t pid = -1;
        in >> pid;
        return in ? pid : -1;
    }
    /// What ps shows for the listener (/proc/PID/cmdline, NULs as spaces).
    std::string title() const { return cmdline_of(pid()); }
    /// Connection processes: the listener's children.
    std::vector<pid_t> children() const
    {
        std::ifstream in("/proc/" + std::to_string(pid()) + "/task/" + std::to_string(pid()) +
                         "/children");
        std::vector<pid_t> out;
        for (pid_t p = 0; in >> p;) {
            out.push_back(p);
        }
        return out;
    }
    /// Waits until the title reports `n` unauthenticated connections.
    bool wait_for_startups(unsigned n)
    {
        const std::string needle = "[listener] " + std::to_string(n) + " of ";
        return it::wait_until([&] { return title().find(needle) != std::string::npos; },
                              daemon_timeout);
    }
    static std::string cmdline_of(pid_t pid)
    {
        std::string text = it::read_text("/proc/" + std::to_string(pid) + "/cmdline");
        while (!text.empty() && text.back() == '\0') {
            text.pop_back();
        }
        std::replace(text.begin(), text.end(), '\0', ' ');
        return text;
    }

private:
    it::TempDir m_dir;
    uint16_t m_port;
    it::KeyPair m_host_key;
    it::KeyPair m_user_key;
    std::unique_ptr<it::Process> m_process;
};

}  // namespace

TEST_CASE("MaxStartups 5:100:5 drops every connection past five unauthenticated ones",
          "[daemon]")
{
    Daemon d("MaxStartups 5:100:5\nPerSourcePenalties no\n");
    std::vector<std::unique_ptr<Probe>> held;
    for (int i = 0; i < 5; ++i) {
        held.push_back(std::make_unique<Probe>(d.port()));
        REQUIRE(held.back()->admitted());
        if (i % 2 == 0) {
            held.back()->send("SSH-2.0-probe\r\n");  // only the version line
        }
    }
    REQUIRE(d.wait_for_startups(5));
    for (int i = 0; i < 45; ++i) {
        Probe extra(d.port());
        REQUIRE_FALSE(extra.admitted());
    }
    REQUIRE(d.log_count("past MaxStartups") >= 45);
    REQUIRE(d.log_count("beginning MaxStartups throttling") == 1);
    INFO(d.title());
    REQUIRE(d.title().find("burrowd: " + it::tools().burrowd + " -D -e -p") == 0);
    held.clear();  // service resumes once they close
    REQUIRE(d.wait_for_startups(0));
    REQUIRE(d.wait_for_log("exited MaxStartups throttling"));
    Probe again(d.port());
    REQUIRE(again.admitted());
}

TEST_CASE("MaxStartups 50:50:100 with 50 held drops about half (statistical)", "[daemon]")
{
    Daemon d("MaxStartups 50:50:100\nPerSourcePenalties no\n");
    std::vector<std::unique_ptr<Probe>> held;
    for (int i = 0; i < 50; ++i) {
        held.push_back(std::make_unique<Probe>(d.port()));
        REQUIRE(held.back()->admitted());
    }
    REQUIRE(d.wait_for_startups(50));
    // At 50 of 50-100 the drop chance is 50%. 200 tries: 100 +- 7 expected;
    // [40, 160] is more than 8 standard deviations wide, so it cannot flake.
    constexpr int tries = 200;
    int dropped = 0;
    for (int i = 0; i < tries; ++i) {
        {
            Probe p(d.port());
            dropped += p.admitted() ? 0 : 1;
        }
        REQUIRE(d.wait_for_startups(50));  // an admitted probe's process has ended
    }
    INFO("dropped " << dropped << " of " << tries);
    REQUIRE(dropped >= 40);
    REQUIRE(dropped <= 160);
}

TEST_CASE("PerSourceMaxStartups limits each source address", "[daemon]")
{
    Daemon d("PerSourceMaxStartups 2\nPerSourcePenalties no\n");
    Probe a1(d.port(), "127.0.0.2");
    Probe a2(d.port(), "127.0.0.2");
    REQUIRE(a1.admitted());
    REQUIRE(a2.admitted());
    {
        Probe a3(d.port(), "127.0.0.2");
        REQUIRE_FALSE(a3.admitted());
    }
    REQUIRE(d.log_count("from [127.0.0.2]:") == 1);
    REQUIRE(d.log_count("past PerSourceMaxStartups") == 1);
    Probe b1(d.port(), "127.0.0.3");
    Probe b2(d.port(), "127.0.0.3");
    REQUIRE(b1.admitted());
    REQUIRE(b2.admitted());
}

TEST_CASE("LoginGraceTime ends an idle connection and earns a grace-exceeded penalty", "[daemon]")
{
    Daemon d("LoginGraceTime 2\nPerSourcePenalties grace-exceeded:30\nLogLevel VERBOSE\n");
    Probe idle(d.port());
    REQUIRE(idle.admitted());
    const auto start = it::Clock::now();
    REQUIRE(idle.closed_within(15s));
    REQUIRE(it::Clock::now() - start >= 1s);
    REQUIRE(d.wait_for_startups(0));
    // 30 s >= min (15 s): the source is refused at once.
    REQUIRE(d.wait_for_log("grace-exceeded penalty for 127.0.0.1/32"));
    Probe refused(d.port());
    REQUIRE_FALSE(refused.admitted());
    REQUIRE(d.wait_for_log("penalty: grace-exceeded"));
}

TEST_CASE("SIGHUP re-executes with the new config; sessions survive; broken config is kept out",
          "[daemon]")
{
    Daemon d("PerSourcePenalties no\n");
    const it::TempDir& dir = d.dir();
    const std::string fifo = dir.file("session-in");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    const int writer = open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // never blocks, keeps it open
    REQUIRE(writer >= 0);
    it::ClientOptions client;
    client.identity = d.user_key().private_path;
    client.known_hosts = dir.file("known_hosts");
    const std::string out = dir.file("session-out");
    it::Process ssh(it::client_command(it::ClientKind::openssh, d.port(), client, "cat"),
                    it::Redirects{fifo, out, dir.file("ssh-err")});
    auto say = [&](const std::string& line) {
        REQUIRE(write(writer, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
        return it::wait_until([&] { return it::read_text(out).find(line) != std::string::npos; },
                              daemon_timeout);
    };
    INFO(d.log() << it::read_text(dir.file("ssh-err")));
    REQUIRE(say("before-hup\n"));
    REQUIRE(d.wait_for_startups(0));  // authenticated: no longer counted

    // A broken configuration: logged, the old listener keeps serving.
    d.write_config("NoSuchKeyword yes\n");
    REQUIRE(kill(d.pid(), SIGHUP) == 0);
    REQUIRE(d.wait_for_log("not restarting"));
    {
        Probe p(d.port());
        REQUIRE(p.admitted());
    }
    // A valid change: one unauthenticated connection at most.
    d.write_config("PerSourcePenalties no\nMaxStartups 1:100:1\n");
    REQUIRE(kill(d.pid(), SIGHUP) == 0);
    REQUIRE(d.wait_for_log("Server listening on", 2));
    // The title is set once the re-executed listener accepts.
    REQUIRE(it::wait_until(
        [&] { return d.title().find("[listener] 0 of 1-1 startups") != std::string::npos; },
        daemon_timeout));
    REQUIRE(d.pid_file_pid() == d.pid());  // same process, re-executed
    Probe first(d.port());
    REQUIRE(first.admitted());
    {
        Probe second(d.port());
        REQUIRE_FALSE(second.admitted());
    }
    REQUIRE(say("after-hup\n"));  // the session from before the restart
    close(writer);
    REQUIRE(ssh.wait_for_exit(daemon_timeout) == 0);
}

TEST_CASE("SIGTERM removes the PidFile and exits 0", "[daemon]")
{
    Daemon d("");
    REQUIRE(kill(d.pid(), SIGTERM) == 0);
    REQUIRE(d.process().wait_for_exit(daemon_timeout) == 0);
    struct stat st{};
    REQUIRE(stat(d.pid_path().c_str(), &st) != 0);
    REQUIRE(d.log().find("Received signal 15; terminating.") != std::string::npos);
}

TEST_CASE("a crashed connection process: listener and others go on, the source is penalised",
          "[daemon]")
{
    Daemon d("PerSourcePenaltyExemptList 127.0.0.4\nLogLevel VERBOSE\n");
    Probe victim(d.port(), "127.0.0.2");
    Probe bystander(d.port(), "127.0.0.3");
    Probe exempt_victim(d.port(), "127.0.0.4");
    REQUIRE(victim.admitted());
    REQUIRE(bystander.admitted());
    REQUIRE(exempt_victim.admitted());
    REQUIRE(d.wait_for_startups(3));
    std::vector<pid_t> children = d.children();
    REQUIRE(children.size() == 3);
    // Forked in accept order (victim, bystander, exempt), so pids ascend.
    std::sort(children.begin(), children.end());
    const std::vector<pid_t> killed = children;
    REQUIRE(kill(killed[0], SIGSEGV) == 0);
    REQUIRE(kill(killed[2], SIGSEGV) == 0);
    REQUIRE(victim.closed_within(probe_timeout));
    REQUIRE(exempt_victim.closed_within(probe_timeout));
    REQUIRE(d.wait_for_log("killed by signal 11", 2));
    REQUIRE(d.wait_for_log("crash penalty for 127.0.0.2/32"));
    // The bystander's connection still answers: its KEXINIT arrives.
    bystander.send("SSH-2.0-probe\r\n");
    REQUIRE(it::wait_until([&] { return bystander.read_some(1s).size() > 40; }, probe_timeout));
    {
        Probe refused(d.port(), "127.0.0.2");
        REQUIRE_FALSE(refused.admitted());
    }
    REQUIRE(d.wait_for_log("from [127.0.0.2]:"));
    REQUIRE(d.log().find("penalty: crash") != std::string::npos);
    Probe exempt(d.port(), "127.0.0.4");
    REQUIRE(exempt.admitted());
    Probe other(d.port(), "127.0.0.5");
    REQUIRE(other.admitted());
}

TEST_CASE("authfail penalties refuse the source, then let it in again; exempt list honoured",
          "[daemon]")
{
    Daemon d("PerSourcePenalties authfail:3s min:3s max:4s\n"
             "PerSourcePenaltyExemptList 127.0.0.3\nLogLevel VERBOSE\n");
    const it::KeyPair stranger = it::make_openssh_key(d.dir(), "stranger");
    it::ClientOptions client;
    client.identity = stranger.private_path;
    client.known_hosts = d.dir().file("known_hosts");
    auto fail_auth_from = [&](const std::string& source) {
        client.extra = {"-b", source};
        const it::RunResult r = it::run(it::client_command(it::ClientKind::openssh, d.port(),
                                                           client, "true"),
                                        it::RunOptions(d.dir().path()));
        REQUIRE(r.exit_code == 255);
    };
    fail_auth_from("127.0.0.2");
    REQUIRE(d.wait_for_log("authfail penalty for 127.0.0.2/32"));
    const auto penalised_at = it::Clock::now();
    {
        Probe refused(d.port(), "127.0.0.2");
        REQUIRE_FALSE(refused.admitted());
    }
    REQUIRE(d.log().find("penalty: authfail") != std::string::npos);
    // The penalty expires (3 s): probe until admitted, bounded.
    REQUIRE(it::wait_until([&] { return Probe(d.port(), "127.0.0.2").admitted(); }, 15s));
    REQUIRE(it::Clock::now() - penalised_at >= 2s);
    // Exempt: failures from 127.0.0.3 are never penalised.
    fail_auth_from("127.0.0.3");
    fail_auth_from("127.0.0.3");
    Probe exempt(d.port(), "127.0.0.3");
    REQUIRE(exempt.admitted());
    REQUIRE(d.log().find("penalty for 127.0.0.3") == std::string::npos);
}

namespace {

/// A datagram socket standing in for systemd's NOTIFY_SOCKET (abstract name).
class NotifySocket final {
public:
    NotifySocket() : m_name("@burrow-notify-test-" + std::to_string(getpid()))
    {
        m_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::copy(m_name.begin() + 1, m_name.end(), addr.sun_path + 1);  // sun_path[0] = 0
        const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + m_name.size());
        REQUIRE(bind(m_fd, reinterpret_cast<sockaddr*>(&addr), length) == 0);
    }
    ~NotifySocket() { close(m_fd); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    const std::string& name() const { return m_name; }
    /// The next datagram, or "" if none arrives in time.
    std::string next()
    {
        pollfd p{m_fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(std::chrono::milliseconds(daemon_timeout).count())) <= 0) {
            return "";
        }
        char buf[512];
        const ssize_t n = recv(m_fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    }

private:
    std::string m_name;
    int m_fd = -1;
};

}  // namespace

TEST_CASE("NOTIFY_SOCKET gets READY=1, RELOADING=1 + READY=1 on SIGHUP, STOPPING=1", "[daemon]")
{
    NotifySocket notify;
    REQUIRE(setenv("NOTIFY_SOCKET", notify.name().c_str(), 1) == 0);
    std::unique_ptr<Daemon> d;
    try {
        d = std::make_unique<Daemon>("");
    } catch (...) {
        unsetenv("NOTIFY_SOCKET");
        throw;
    }
    unsetenv("NOTIFY_SOCKET");  // only burrowd needs it
    REQUIRE(notify.next() == "READY=1");
    REQUIRE(kill(d->pid(), SIGHUP) == 0);
    REQUIRE(notify.next() == "RELOADING=1");
    REQUIRE(notify.next() == "READY=1");  // from the re-executed listener
    REQUIRE(kill(d->pid(), SIGTERM) == 0);
    REQUIRE(notify.next() == "STOPPING=1");
    REQUIRE(d->process().wait_for_exit(daemon_timeout) == 0);
}
