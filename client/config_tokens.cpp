// %-token expansion (ssh_config(5) "TOKENS").
#include "client/config_tokens.h"

#include <unistd.h>

#include <array>

namespace burrow::client {

namespace {

/// The value of one token letter, or nullptr if unknown.
const std::string* token_value(char letter, const TokenValues& v)
{
    switch (letter) {
        case 'h':
        case 'k':  // HostKeyAlias is not supported: the host name stands in
            return &v.host;
        case 'n':
            return &v.original_host;
        case 'p':
            return &v.port;
        case 'r':
            return &v.remote_user;
        case 'u':
            return &v.local_user;
        case 'd':
            return &v.home;
        case 'l':
            return &v.local_host;
        case 'i':
            return &v.uid;
        default:
            return nullptr;
    }
}

}  // namespace

std::optional<std::string> expand_tokens(std::string_view text, const TokenValues& values,
                                         std::string& error)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 1 == text.size()) {
            error = "invalid format: '%' at the end of \"" + std::string(text) + "\"";
            return std::nullopt;
        }
        const char letter = text[++i];
        if (letter == '%') {
            out.push_back('%');
        } else if (letter == 'L') {
            out += values.local_host.substr(0, values.local_host.find('.'));
        } else if (const std::string* value = token_value(letter, values)) {
            out += *value;
        } else {
            error = std::string("unknown token %") + letter + " in \"" + std::string(text) + "\"";
            return std::nullopt;
        }
    }
    return out;
}

std::optional<std::string> check_tokens(std::string_view text)
{
    std::string error;
    if (!expand_tokens(text, TokenValues{}, error)) {
        return error;
    }
    return std::nullopt;
}

TokenValues local_token_values(std::string_view home, std::string_view local_user)
{
    TokenValues values;
    values.home = std::string(home);
    values.local_user = std::string(local_user);
    std::array<char, 256> name{};
    if (::gethostname(name.data(), name.size() - 1) == 0) {
        values.local_host = name.data();
    }
    values.uid = std::to_string(::getuid());
    return values;
}

}  // namespace burrow::client
