// Text helpers for ssh_config(5) parsing.
#include "client/config_text.h"

#include <algorithm>
#include <cctype>

namespace burrow::client {

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (is_blank(s.back()) || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

std::vector<std::string> split_list(std::string_view value)
{
    std::vector<std::string> items;
    size_t start = 0;
    while (start <= value.size()) {
        const size_t comma = std::min(value.find(',', start), value.size());
        if (comma > start) {
            items.emplace_back(value.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return items;
}

std::vector<std::string> split_words(std::string_view value)
{
    std::vector<std::string> words;
    std::string current;
    bool quoted = false;
    bool have_word = false;
    for (const char c : value) {
        if (c == '"') {
            quoted = !quoted;
            have_word = true;
        } else if (is_blank(c) && !quoted) {
            if (have_word) {
                words.push_back(current);
            }
            current.clear();
            have_word = false;
        } else {
            current.push_back(c);
            have_word = true;
        }
    }
    if (have_word) {
        words.push_back(current);
    }
    return words;
}

}  // namespace burrow::client
