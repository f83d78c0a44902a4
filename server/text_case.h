// Case folding for configuration keywords and values, which sshd_config(5)
// compares without regard to (ASCII) case.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace burrow::server {

/// `text` with ASCII letters in lower case.
inline std::string lower_case(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace burrow::server
