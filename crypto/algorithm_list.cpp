// OpenSSH algorithm list syntax (ssh_config(5) "Ciphers": plain, '+', '-', '^').
#include "crypto/algorithm_list.h"

#include <algorithm>

namespace burrow::crypto {

namespace {

/// Split "a,b,c"; empty items are kept so the caller can reject them.
std::vector<std::string> split_commas(std::string_view list)
{
    std::vector<std::string> items;
    size_t start = 0;
    while (true) {
        const size_t end = list.find(',', start);
        if (end == std::string_view::npos) {
            items.emplace_back(list.substr(start));
            return items;
        }
        items.emplace_back(list.substr(start, end - start));
        start = end + 1;
    }
}

bool contains(const std::vector<std::string>& list, std::string_view item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::optional<std::vector<std::string>> fail(std::string* error, std::string message)
{
    if (error != nullptr) {
        *error = std::move(message);
    }
    return std::nullopt;
}

/// Defaults without any name matching one of `patterns`.
std::vector<std::string> remove_matching(const std::vector<std::string>& defaults,
                                         const std::vector<std::string>& patterns)
{
    std::vector<std::string> result;
    for (const std::string& name : defaults) {
        const bool removed =
            std::any_of(patterns.begin(), patterns.end(),
                        [&](const std::string& p) { return algorithm_pattern_match(p, name); });
        if (!removed && !contains(result, name)) {
            result.push_back(name);
        }
    }
    return result;
}

}  // namespace

bool algorithm_pattern_match(std::string_view pattern, std::string_view name)
{
    // Iterative glob match: remember the last '*' and retry from there.
    size_t p = 0;
    size_t n = 0;
    size_t star = std::string_view::npos;
    size_t star_n = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_n = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++star_n;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::optional<std::vector<std::string>> apply_algorithm_list(
    std::string_view spec, const std::vector<std::string>& defaults,
    const std::vector<std::string>& supported, std::string* error)
{
    if (spec.empty()) {
        return defaults;
    }
    const char mode = spec.front();
    const bool modifier = mode == '+' || mode == '-' || mode == '^';
    const std::vector<std::string> items = split_commas(modifier ? spec.substr(1) : spec);
    for (const std::string& item : items) {
        if (item.empty()) {
            return fail(error, "empty algorithm name in '" + std::string(spec) + "'");
        }
    }
    if (mode == '-') {
        return remove_matching(defaults, items);
    }
    for (const std::string& item : items) {
        if (!contains(supported, item)) {
            return fail(error, "unsupported algorithm '" + item + "'");
        }
    }
    std::vector<std::string> order;
    if (mode == '^') {
        order = items;
        order.insert(order.end(), defaults.begin(), defaults.end());
    } else if (mode == '+') {
        order = defaults;
        order.insert(order.end(), items.begin(), items.end());
    } else {
        order = items;
    }
    std::vector<std::string> result;
    for (const std::string& name : order) {
        if (!contains(result, name)) {
            result.push_back(name);
        }
    }
    return result;
}

}  // namespace burrow::crypto
