// Secrets and prompts from the terminal (echo off) or the SSH_ASKPASS program,
// with the choice between them made as ssh(1) ENVIRONMENT describes.
#include "client/prompt.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace burrow::client {
namespace {

/// Longest answer accepted (a password, a passphrase, an OTP).
constexpr size_t max_answer = 64 * 1024;

/// The askpass used when SSH_ASKPASS is not set (Debian's ssh-askpass path).
constexpr const char* default_askpass = "/usr/bin/ssh-askpass";

/// The signal that interrupted a no-echo read (0 = none).
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void note_signal(int sig)
{
    g_interrupted = sig;
}

bool env_set(const char* name)
{
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
}

bool have_tty()
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return false;
    }
    ::close(fd);
    return true;
}

/// ssh(1) ENVIRONMENT: whether SSH_ASKPASS is to be used for this prompt.
bool use_askpass()
{
    const char* require = std::getenv("SSH_ASKPASS_REQUIRE");
    const std::string mode = require != nullptr ? require : "";
    const bool display = env_set("DISPLAY") || env_set("WAYLAND_DISPLAY");
    if (mode == "force") {
        return true;
    }
    if (mode == "never") {
        return false;
    }
    if (mode == "prefer") {
        return display;
    }
    // Default: only without a terminal, with a display and SSH_ASKPASS set.
    return display && env_set("SSH_ASKPASS") && !have_tty();
}

void strip_newline(std::string& s)
{
    if (!s.empty() && s.back() == '\n') {
        s.pop_back();
    }
    if (!s.empty() && s.back() == '\r') {
        s.pop_back();
    }
}

/// Run the askpass program with the prompt as argv[1]; its stdout is the answer.
std::optional<std::string> ask_program(const std::string& prompt)
{
    const char* program = env_set("SSH_ASKPASS") ? std::getenv("SSH_ASKPASS") : default_askpass;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return std::nullopt;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return std::nullopt;
    }
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::execlp(program, program, prompt.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string answer;
    std::array<char, 512> buffer{};
    for (;;) {
        const ssize_t n = ::read(fds[0], buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (answer.size() < max_answer) {
            answer.append(buffer.data(), static_cast<size_t>(n));
        }
    }
    std::memset(buffer.data(), 0, buffer.size());
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || answer.size() >= max_answer) {
        wipe(answer);
        return std::nullopt;
    }
    strip_newline(answer);
    return answer;
}

/// Read one line from the terminal `fd`; false on EOF before a newline or a signal.
bool read_tty_line(int fd, std::string& answer)
{
    char c = 0;
    for (;;) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            if (g_interrupted != 0) {
                return false;
            }
            continue;
        }
        if (n <= 0) {
            return !answer.empty();
        }
        if (c == '\n' || c == '\r') {
            return true;
        }
        if (answer.size() < max_answer) {
            answer.push_back(c);
        }
    }
}

/// Prompt on /dev/tty; with echo off the terminal state is restored even when
/// a signal interrupts the read (the signal is then re-raised).
std::optional<std::string> ask_tty(const std::string& prompt, bool echo)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return std::nullopt;
    }
    (void)!::write(fd, prompt.data(), prompt.size());
    termios saved{};
    const bool is_term = ::tcgetattr(fd, &saved) == 0;
    const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
    std::array<struct sigaction, std::size(caught)> old_actions{};
    g_interrupted = 0;
    if (!echo && is_term) {
        struct sigaction sa {};
        sa.sa_handler = note_signal;  // no SA_RESTART: read() returns EINTR
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < std::size(caught); ++i) {
            ::sigaction(caught[i], &sa, &old_actions[i]);
        }
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    std::string answer;
    const bool ok = read_tty_line(fd, answer);
    if (!echo && is_term) {
        ::tcsetattr(fd, TCSAFLUSH, &saved);
        (void)!::write(fd, "\n", 1);
        for (size_t i = 0; i < std::size(caught); ++i) {
            ::sigaction(caught[i], &old_actions[i], nullptr);
        }
    }
    ::close(fd);
    if (g_interrupted != 0) {
        wipe(answer);
        ::raise(g_interrupted);
        return std::nullopt;
    }
    if (!ok) {
        wipe(answer);
        return std::nullopt;
    }
    return answer;
}

}  // namespace

void wipe(std::string& secret)
{
    volatile char* p = secret.data();
    for (size_t i = 0; i < secret.size(); ++i) {
        p[i] = 0;
    }
    secret.clear();
}

std::optional<std::string> read_secret(const std::string& prompt, const PromptPolicy& policy)
{
    return read_line(prompt, false, policy);
}

std::optional<std::string> read_line(const std::string& prompt, bool echo,
                                     const PromptPolicy& policy)
{
    if (policy.batch_mode) {
        return std::nullopt;
    }
    if (use_askpass()) {
        return ask_program(prompt);
    }
    return ask_tty(prompt, echo);
}

}  // namespace burrow::client
