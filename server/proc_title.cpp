#include "server/proc_title.h"

#include <algorithm>
#include <cstring>

extern char** environ;

namespace burrow::server {

namespace {

/// Prefix of every title, as sshd's "sshd: ...".
constexpr std::string_view title_prefix = "burrowd: ";

struct TitleArea {
    char* begin = nullptr;
    size_t size = 0;
    std::vector<std::string> argv;
    /// The relocated environment (kept alive for the process's lifetime).
    std::vector<std::string> env_strings;
    std::vector<char*> env_pointers;
};

TitleArea& area()
{
    static TitleArea a;
    return a;
}

}  // namespace

void proc_title_init(int argc, char** argv)
{
    TitleArea& a = area();
    if (argc <= 0 || argv == nullptr || argv[0] == nullptr) {
        return;
    }
    a.argv.assign(argv, argv + argc);
    // The kernel lays out argv strings and then environ strings in one block;
    // the title may use it all as long as it stays contiguous.
    char* end = argv[0] + std::strlen(argv[0]) + 1;
    for (int i = 1; i < argc; ++i) {
        if (argv[i] == end) {
            end += std::strlen(argv[i]) + 1;
        }
    }
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        a.env_strings.emplace_back(*e);
        if (*e == end) {
            end += std::strlen(*e) + 1;
        }
    }
    for (std::string& s : a.env_strings) {
        a.env_pointers.push_back(s.data());
    }
    a.env_pointers.push_back(nullptr);
    environ = a.env_pointers.data();
    a.begin = argv[0];
    a.size = static_cast<size_t>(end - argv[0]);
}

void set_proc_title(std::string_view title)
{
    TitleArea& a = area();
    if (a.begin == nullptr || a.size == 0) {
        return;
    }
    const std::string text = std::string(title_prefix) + std::string(title);
    const size_t n = std::min(text.size(), a.size - 1);
    std::memcpy(a.begin, text.data(), n);
    // NUL-fill the rest so /proc/PID/cmdline ends at the title.
    std::memset(a.begin + n, 0, a.size - n);
}

const std::vector<std::string>& saved_argv()
{
    return area().argv;
}

std::string saved_command_line()
{
    std::string out;
    for (const std::string& arg : area().argv) {
        out += (out.empty() ? "" : " ") + arg;
    }
    return out;
}

}  // namespace burrow::server
