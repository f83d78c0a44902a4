// Asking the user for secrets (passphrases, passwords) and for answers to
// keyboard-interactive prompts, the way ssh(1) does: on the controlling
// terminal without echo, or through the SSH_ASKPASS program.
#pragma once

#include <optional>
#include <string>

namespace burrow::client {

/// How prompts may reach the user.
struct PromptPolicy {
    /// BatchMode: never ask anything (every read returns nullopt).
    bool batch_mode = false;
};

/// Ask for a secret. Following ssh(1) ENVIRONMENT: with SSH_ASKPASS_REQUIRE=force
/// the SSH_ASKPASS program (default "ssh-askpass") is always used; with
/// "prefer" it is used when DISPLAY or WAYLAND_DISPLAY is set; with "never" it is
/// never used; otherwise (unset) it is used only when there is no controlling
/// terminal and DISPLAY/WAYLAND_DISPLAY is set. Without askpass the prompt is
/// written to /dev/tty and the answer read from it with echo off.
/// The askpass program gets the prompt as argv[1]; its stdout (one line,
/// trailing newline removed) is the answer and a non-zero exit means "cancelled".
/// nullopt if cancelled, in batch mode, or no way to ask exists.
std::optional<std::string> read_secret(const std::string& prompt, const PromptPolicy& policy = {});

/// Ask for one line of text; `echo` false behaves like read_secret(). Used for
/// keyboard-interactive prompts (RFC 4256 §3.3 says whether each echoes).
std::optional<std::string> read_line(const std::string& prompt, bool echo,
                                     const PromptPolicy& policy = {});

/// Overwrite a secret string's characters before it is dropped.
void wipe(std::string& secret);

}  // namespace burrow::client
