// Process titles (what ps(1) and /proc/PID/cmdline show), as sshd sets them:
// "burrowd: /usr/sbin/burrowd -D [listener] 0 of 10-100 startups" for the
// listener, "burrowd: alice [preauth]" for a connection. Linux only: the
// title is written over the original argv (and environ) strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace burrow::server {

/// Call first thing in main(): copies argv (see saved_argv()) and moves the
/// environment strings elsewhere so their memory can hold longer titles.
void proc_title_init(int argc, char** argv);

/// Shows "burrowd: <title>", cut to the space the original argv+environ had.
/// Without proc_title_init() it does nothing.
void set_proc_title(std::string_view title);

/// The command line as it was at proc_title_init() (for re-execution on SIGHUP).
const std::vector<std::string>& saved_argv();

/// The saved command line joined with spaces ("/usr/sbin/burrowd -D -f X").
std::string saved_command_line();

}  // namespace burrow::server
