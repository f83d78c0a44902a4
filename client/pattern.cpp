#include "client/pattern.h"

#include <cctype>
#include <cstddef>

namespace burrow::client {

namespace {

bool same_char(char a, char b, Case mode)
{
    if (mode == Case::sensitive) {
        return a == b;
    }
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, Case mode)
{
    // Iterative matcher with single-star backtracking: linear memory, and
    // O(n*m) worst case, so hostile known_hosts lines cannot blow the stack.
    size_t p = 0;
    size_t t = 0;
    size_t star = std::string_view::npos;
    size_t star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (p < pattern.size() &&
                   (pattern[p] == '?' || same_char(pattern[p], text[t], mode))) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

ListMatch match_pattern_list(std::string_view list, std::string_view text, Case mode)
{
    ListMatch result = ListMatch::none;
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(',', start);
        if (end == std::string_view::npos) {
            end = list.size();
        }
        std::string_view item = list.substr(start, end - start);
        const bool negated = !item.empty() && item.front() == '!';
        if (negated) {
            item.remove_prefix(1);
        }
        if (!item.empty() && wildcard_match(item, text, mode)) {
            if (negated) {
                return ListMatch::negated;
            }
            result = ListMatch::positive;
        }
        start = end + 1;
    }
    return result;
}

}  // namespace burrow::client
