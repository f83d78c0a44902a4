#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace burrow::interop_test {
namespace {

[[noreturn]] void throw_errno(const std::string& what, int error)
{
    throw std::system_error(error, std::generic_category(), what);
}

int decode_wait_status(int status)
{
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

/// Interval between two polls of a condition: short, so waits end soon after the condition
/// holds; the deadline, not the interval, bounds every wait.
constexpr auto poll_interval = std::chrono::milliseconds(5);

std::string unique_capture_name(const std::string& dir, const char* stream)
{
    static std::atomic<unsigned> counter{0};
    return dir + "/capture-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "." +
           stream;
}

sockaddr_in loopback_address(uint16_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

}  // namespace

TempDir::TempDir()
{
    std::string pattern = env_or("TMPDIR", "/tmp") + "/burrow-interop-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw_errno("mkdtemp " + pattern, errno);
    }
    m_path = pattern;
}

TempDir::~TempDir()
{
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

Process::Process(const std::vector<std::string>& argv, const Redirects& redirects)
{
    if (argv.empty()) {
        throw std::invalid_argument("Process: empty argv");
    }
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, redirects.stdin_path.c_str(),
                                       O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, redirects.stdout_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, redirects.stderr_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);

    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);

    const int error = ::posix_spawnp(&m_pid, args[0], &actions, nullptr, args.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        throw_errno("posix_spawnp " + argv[0], error);
    }
}

Process::~Process()
{
    terminate();
}

bool Process::poll_exit()
{
    if (m_exit_code) {
        return true;
    }
    int status = 0;
    const pid_t reaped = ::waitpid(m_pid, &status, WNOHANG);
    if (reaped == m_pid) {
        m_exit_code = decode_wait_status(status);
        return true;
    }
    if (reaped < 0 && errno != EINTR) {
        m_exit_code = -1;  // not our child any more: nothing left to wait for
        return true;
    }
    return false;
}

bool Process::running()
{
    return !poll_exit();
}

std::optional<int> Process::wait_for_exit(Clock::duration timeout)
{
    if (!wait_until([this] { return poll_exit(); }, timeout)) {
        return std::nullopt;
    }
    return m_exit_code;
}

void Process::terminate()
{
    if (m_pid <= 0 || poll_exit()) {
        return;
    }
    ::kill(m_pid, SIGTERM);
    if (!wait_for_exit(std::chrono::seconds(5))) {
        ::kill(m_pid, SIGKILL);
        // SIGKILL cannot be ignored: a blocking wait terminates.
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_exit_code = decode_wait_status(status);
    }
}

RunResult run(const std::vector<std::string>& argv, const RunOptions& options)
{
    const std::string out_path = options.stdout_path.empty()
                                     ? unique_capture_name(options.scratch_dir, "out")
                                     : options.stdout_path;
    const std::string err_path = unique_capture_name(options.scratch_dir, "err");

    RunResult result;
    {
        Process child(argv, Redirects{options.stdin_path, out_path, err_path});
        const std::optional<int> code = child.wait_for_exit(options.timeout);
        if (code) {
            result.exit_code = *code;
        } else {
            result.timed_out = true;
            child.terminate();
        }
    }
    if (options.stdout_path.empty()) {
        result.out = read_text(out_path);
        std::filesystem::remove(out_path);
    }
    result.err = read_text(err_path);
    std::filesystem::remove(err_path);
    return result;
}

std::string describe(const std::vector<std::string>& argv, const RunResult& result)
{
    std::ostringstream text;
    text << "command:";
    for (const std::string& arg : argv) {
        text << ' ' << arg;
    }
    text << "\nexit code: " << result.exit_code << (result.timed_out ? " (timed out)" : "")
         << "\nstdout: [" << tail(result.out, 1000) << "]\nstderr: [" << tail(result.err, 2000)
         << "]";
    return text.str();
}

uint16_t free_loopback_port()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw_errno("socket", errno);
    }
    sockaddr_in address = loopback_address(0);
    socklen_t length = sizeof(address);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const int error = errno;
        ::close(fd);
        throw_errno("bind/getsockname on 127.0.0.1:0", error);
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool wait_until(const std::function<bool()>& condition, Clock::duration timeout)
{
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!condition()) {
        if (Clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(poll_interval);
    }
    return true;
}

bool wait_for_port(uint16_t port, Process& server, Clock::duration timeout)
{
    bool server_exited = false;
    const auto accepts = [&] {
        if (!server.running()) {
            server_exited = true;
            return true;  // stop waiting: it will never listen
        }
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return false;
        }
        const sockaddr_in address = loopback_address(port);
        const bool connected =
            ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
        ::close(fd);
        return connected;
    };
    return wait_until(accepts, timeout) && !server_exited;
}

std::string sha256_of_file(const std::string& path, const std::string& scratch_dir)
{
    const std::vector<std::string> argv{"sha256sum", "--binary", path};
    const RunResult result = run(argv, RunOptions{scratch_dir, std::chrono::seconds(120)});
    if (result.exit_code != 0) {
        throw std::runtime_error("sha256sum failed: " + describe(argv, result));
    }
    return result.out.substr(0, result.out.find(' '));
}

std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void write_text(const std::string& path, const std::string& content, unsigned mode)
{
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out) {
            throw std::runtime_error("cannot write " + path);
        }
    }
    ::chmod(path.c_str(), mode);
}

void append_text(const std::string& path, const std::string& content)
{
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << content;
    if (!out) {
        throw std::runtime_error("cannot append to " + path);
    }
}

uint64_t file_size(const std::string& path)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return error ? 0 : static_cast<uint64_t>(size);
}

std::string login_user()
{
    const passwd* entry = ::getpwuid(::getuid());
    if (entry == nullptr) {
        throw std::runtime_error("getpwuid: no passwd entry for the current user");
    }
    return entry->pw_name;
}

std::string env_or(const char* name, const std::string& fallback)
{
    const char* value = std::getenv(name);
    return (value != nullptr && *value != '\0') ? std::string(value) : fallback;
}

std::string tail(const std::string& text, size_t max_chars)
{
    if (text.size() <= max_chars) {
        return text;
    }
    return "..." + text.substr(text.size() - max_chars);
}

std::string to_lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace burrow::interop_test
