#include "tmux.h"

#include <catch2/catch.hpp>

namespace burrow::interop_test {

namespace {

constexpr auto tmux_timeout = std::chrono::seconds(10);

}  // namespace

Tmux::Tmux(const TempDir& dir, const std::string& command, unsigned cols, unsigned rows)
    : m_socket(dir.file("tmux.sock")), m_scratch(dir.path())
{
    // Our own configuration: no status line (the pane is the whole window),
    // a known shell, and the pane kept after its command exits so its last
    // screen can still be read.
    const std::string conf = dir.file("tmux.conf");
    write_text(conf,
               "set -g default-shell /bin/sh\n"
               "set -g status off\n"
               "set -g remain-on-exit on\n"
               "set -g history-limit 5000\n");
    const RunResult started = tmux({"-f", conf, "new-session", "-d", "-x", std::to_string(cols),
                                    "-y", std::to_string(rows), command});
    if (started.exit_code != 0) {
        FAIL("tmux new-session failed: " << started.err);
    }
}

Tmux::~Tmux()
{
    tmux({"kill-server"});
}

RunResult Tmux::tmux(const std::vector<std::string>& args) const
{
    std::vector<std::string> argv = {"env", "TERM=xterm-256color", "tmux", "-S", m_socket};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, RunOptions{m_scratch, tmux_timeout});
}

void Tmux::type_line(const std::string& text)
{
    type(text);
    keys({"Enter"});
}

void Tmux::type(const std::string& text)
{
    tmux({"send-keys", "-l", "--", text});  // "--": text may start with '-'
}

void Tmux::keys(const std::vector<std::string>& names)
{
    std::vector<std::string> args = {"send-keys"};
    args.insert(args.end(), names.begin(), names.end());
    tmux(args);
}

std::string Tmux::screen() const
{
    std::string text = tmux({"capture-pane", "-p"}).out;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

bool Tmux::wait_for(const std::string& text, Clock::duration timeout)
{
    return wait_for_count(text, 1, timeout);
}

bool Tmux::wait_for_count(const std::string& text, size_t count, Clock::duration timeout)
{
    return wait_until([&] { return count_of(screen(), text) >= count; }, timeout);
}

void Tmux::resize(unsigned cols, unsigned rows)
{
    tmux({"resize-window", "-x", std::to_string(cols), "-y", std::to_string(rows)});
}

size_t count_of(const std::string& text, const std::string& needle)
{
    size_t count = 0;
    for (size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + needle.size())) {
        ++count;
    }
    return count;
}

}  // namespace burrow::interop_test
