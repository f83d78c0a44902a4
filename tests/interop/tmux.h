#pragma once
/// @file
/// A detached tmux server of its own (private socket in a temp dir) running one command in a
/// pane of a chosen size: the tests type into it (send-keys), read the screen (capture-pane),
/// resize it, and wait on what the screen shows - never on sleeps.

#include <string>
#include <vector>

#include "harness.h"

namespace burrow::interop_test {

class Tmux final {
public:
    /// Starts `command` (run by /bin/sh) in a detached session of `cols` x `rows`.
    Tmux(const TempDir& dir, const std::string& command, unsigned cols = 100, unsigned rows = 30);
    ~Tmux();
    Tmux(const Tmux&) = delete;
    Tmux& operator=(const Tmux&) = delete;

    /// Types `text` literally (no key names), then Enter.
    void type_line(const std::string& text);
    /// Sends tmux key names ("C-c", "Escape", "Enter", "q", "~").
    void keys(const std::vector<std::string>& names);
    /// Types `text` literally, without Enter.
    void type(const std::string& text);
    /// The visible screen, trailing blank lines removed.
    std::string screen() const;
    /// Waits (bounded) until the screen contains `text`; true if it did.
    bool wait_for(const std::string& text, Clock::duration timeout = std::chrono::seconds(15));
    /// Waits until the screen contains `text` at least `count` times.
    bool wait_for_count(const std::string& text, size_t count,
                        Clock::duration timeout = std::chrono::seconds(15));
    /// Resizes the window (the pane's program gets SIGWINCH).
    void resize(unsigned cols, unsigned rows);

private:
    RunResult tmux(const std::vector<std::string>& args) const;

    std::string m_socket;
    std::string m_scratch;
};

/// Occurrences of `needle` in `text`.
size_t count_of(const std::string& text, const std::string& needle);

}  // namespace burrow::interop_test
