// Session keywords of ssh_config(5): RequestTTY, SendEnv, SetEnv, EscapeChar.
#include "client/session_keywords.h"

#include <algorithm>

#include "client/config_text.h"
#include "client/pattern.h"

namespace burrow::client {

namespace {

using KeywordResult = std::optional<std::optional<std::string>>;

std::string bad_value(std::string_view keyword, std::string_view value)
{
    return "invalid value '" + std::string(value) + "' for " + std::string(keyword);
}

std::optional<RequestTty> parse_request_tty(std::string_view v)
{
    if (iequals(v, "yes") || iequals(v, "true")) {
        return RequestTty::yes;
    }
    if (iequals(v, "no") || iequals(v, "false")) {
        return RequestTty::no;
    }
    if (iequals(v, "force")) {
        return RequestTty::force;
    }
    if (iequals(v, "auto")) {
        return RequestTty::automatic;
    }
    return std::nullopt;
}

/// ssh_config(5) SendEnv: names may hold wildcards but no '='; a leading
/// '-' removes the earlier patterns it matches instead of adding one.
KeywordResult apply_send_env(ClientConfig& config, const std::vector<std::string>& words)
{
    for (const std::string& word : words) {
        if (word.find('=') != std::string::npos) {
            return "Invalid environment name '" + word + "' for SendEnv";
        }
        if (word.starts_with("-")) {
            const std::string_view pattern = std::string_view(word).substr(1);
            std::erase_if(config.send_env, [&](const std::string& e) {
                return wildcard_match(pattern, e, Case::sensitive);
            });
        } else {
            // Not de-duplicated: ssh(1) lists a name again when read again.
            config.send_env.push_back(word);
        }
    }
    return std::optional<std::string>();
}

/// ssh_config(5) SetEnv: NAME=value words. As OpenSSH does, only the first
/// SetEnv line obtained counts; inside it the first value of a name wins.
KeywordResult apply_set_env(ClientConfig& config, const std::vector<std::string>& words)
{
    std::vector<std::string> pairs;
    for (const std::string& word : words) {
        const size_t eq = word.find('=');
        if (eq == std::string::npos || eq == 0) {
            return "Invalid SetEnv '" + word + "'";
        }
        const std::string_view name = std::string_view(word).substr(0, eq + 1);
        const bool seen = std::any_of(pairs.begin(), pairs.end(),
                                      [&](const std::string& p) { return p.starts_with(name); });
        if (!seen) {
            pairs.push_back(word);
        }
    }
    if (!config.set_env) {
        config.set_env = std::move(pairs);
    }
    return std::optional<std::string>();
}

}  // namespace

bool parse_escape_char(std::string_view value, std::optional<char>& escape)
{
    // ssh(1) -e / ssh_config(5) EscapeChar.
    if (iequals(value, "none")) {
        escape.reset();
        return true;
    }
    if (value.size() == 1) {
        escape = value.front();
        return true;
    }
    if (value.size() == 2 && value.front() == '^') {
        escape = static_cast<char>(value[1] & 0x1f);
        return true;
    }
    return false;
}

KeywordResult apply_session_keyword(ClientConfig& config, std::string_view keyword,
                                    std::string_view value)
{
    const std::vector<std::string> words = split_words(value);
    if (iequals(keyword, "SendEnv")) {
        return apply_send_env(config, words);
    }
    if (iequals(keyword, "SetEnv")) {
        return apply_set_env(config, words);
    }
    if (iequals(keyword, "RequestTTY")) {
        if (words.size() != 1) {
            return bad_value(keyword, value);
        }
        const std::optional<RequestTty> v = parse_request_tty(words.front());
        if (!v) {
            return bad_value(keyword, value);
        }
        if (!config.request_tty) {
            config.request_tty = *v;
        }
        return std::optional<std::string>();
    }
    if (iequals(keyword, "EscapeChar")) {
        if (words.size() != 1) {
            return "Bad escape character '" + std::string(value) + "'";
        }
        std::optional<char> escape;
        if (!parse_escape_char(words.front(), escape)) {
            return "Bad escape character '" + std::string(value) + "'";
        }
        if (!config.escape_char) {
            config.escape_char = escape;
        }
        return std::optional<std::string>();
    }
    return std::nullopt;
}

void resolve_session_settings(const ClientConfig& config, Settings& settings)
{
    settings.request_tty = config.request_tty.value_or(RequestTty::automatic);
    settings.send_env = config.send_env;
    settings.set_env = config.set_env.value_or(std::vector<std::string>());
    if (config.escape_char) {
        settings.escape_char = *config.escape_char;
    } else {
        settings.escape_char = '~';
    }
}

std::string_view request_tty_name(RequestTty value)
{
    switch (value) {
        case RequestTty::no:
            return "false";
        case RequestTty::yes:
            return "true";
        case RequestTty::force:
            return "force";
        case RequestTty::automatic:
            break;
    }
    return "auto";
}

}  // namespace burrow::client
