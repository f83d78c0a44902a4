// Forwarding keywords and options; see client/forward_keywords.h.
#include "client/forward_keywords.h"

#include <algorithm>
#include <charconv>

#include "client/config_text.h"

namespace burrow::client {

namespace {

std::optional<bool> yes_no(std::string_view v)
{
    if (iequals(v, "yes") || iequals(v, "true")) {
        return true;
    }
    if (iequals(v, "no") || iequals(v, "false")) {
        return false;
    }
    return std::nullopt;
}

std::optional<unsigned> parse_count(std::string_view v)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || end != v.data() + v.size() || value > 86400U * 365) {
        return std::nullopt;
    }
    return value;
}

/// ssh(1) keeps every forwarding once, whichever source named it first.
void add_unique(ClientConfig& config, ForwardSpec spec)
{
    if (std::find(config.forwards.begin(), config.forwards.end(), spec) == config.forwards.end()) {
        config.forwards.push_back(std::move(spec));
    }
}

std::optional<std::string> bad_value(std::string_view keyword, std::string_view value)
{
    return "invalid value '" + std::string(value) + "' for " + std::string(keyword);
}

/// LocalForward / RemoteForward / DynamicForward: "listen [connect]".
std::optional<std::string> apply_forward_line(ClientConfig& config, ForwardSpec::Kind kind,
                                              std::string_view keyword, std::string_view value)
{
    const std::vector<std::string> words = split_words(value);
    const size_t wanted = kind == ForwardSpec::Kind::dynamic ? 1 : 2;
    // RemoteForward takes one word for its reverse dynamic form.
    if (words.empty() || words.size() > wanted ||
        (kind == ForwardSpec::Kind::local && words.size() != 2)) {
        return bad_value(keyword, value);
    }
    const std::string joined = words.size() == 2 ? words[0] + ":" + words[1] : words[0];
    std::string error;
    auto spec = parse_forward_spec(kind, joined, error);
    if (!spec) {
        return error;
    }
    add_unique(config, std::move(*spec));
    return std::nullopt;
}

template <typename T>
void set_first(std::optional<T>& slot, T value)
{
    if (!slot) {
        slot = std::move(value);
    }
}

}  // namespace

std::optional<std::string> add_forward_option(ClientConfig& config, char letter,
                                              std::string_view value)
{
    const ForwardSpec::Kind kind = letter == 'L'   ? ForwardSpec::Kind::local
                                   : letter == 'R' ? ForwardSpec::Kind::remote
                                                   : ForwardSpec::Kind::dynamic;
    std::string error;
    auto spec = parse_forward_spec(kind, value, error);
    if (!spec) {
        return error;
    }
    add_unique(config, std::move(*spec));
    return std::nullopt;
}

std::optional<std::optional<std::string>> apply_forward_keyword(ClientConfig& config,
                                                                std::string_view keyword,
                                                                std::string_view value)
{
    const std::optional<std::string> ok;
    if (iequals(keyword, "LocalForward")) {
        return apply_forward_line(config, ForwardSpec::Kind::local, keyword, value);
    }
    if (iequals(keyword, "RemoteForward")) {
        return apply_forward_line(config, ForwardSpec::Kind::remote, keyword, value);
    }
    if (iequals(keyword, "DynamicForward")) {
        return apply_forward_line(config, ForwardSpec::Kind::dynamic, keyword, value);
    }
    struct Switch {
        std::string_view name;
        std::optional<bool> ClientConfig::*slot;
    };
    const Switch switches[] = {
        {"GatewayPorts", &ClientConfig::gateway_ports},
        {"ExitOnForwardFailure", &ClientConfig::exit_on_forward_failure},
        {"ClearAllForwardings", &ClientConfig::clear_all_forwardings},
    };
    for (const Switch& entry : switches) {
        if (iequals(keyword, entry.name)) {
            const auto v = yes_no(value);
            if (!v) {
                return bad_value(keyword, value);
            }
            set_first(config.*(entry.slot), *v);
            return ok;
        }
    }
    if (iequals(keyword, "ServerAliveInterval") || iequals(keyword, "ServerAliveCountMax")) {
        const auto v = parse_count(value);
        if (!v) {
            return bad_value(keyword, value);
        }
        set_first(iequals(keyword, "ServerAliveInterval") ? config.server_alive_interval
                                                          : config.server_alive_count_max,
                  *v);
        return ok;
    }
    if (iequals(keyword, "ForkAfterAuthentication")) {
        const auto v = yes_no(value);
        if (!v) {
            return bad_value(keyword, value);
        }
        config.fork_after_auth = config.fork_after_auth || *v;
        return ok;
    }
    return std::nullopt;
}

void resolve_forward_settings(const ClientConfig& config, Settings& settings)
{
    settings.clear_all_forwardings = config.clear_all_forwardings.value_or(false);
    if (!settings.clear_all_forwardings) {
        settings.forwards = config.forwards;
    }
    settings.gateway_ports = config.gateway_ports.value_or(false);
    settings.exit_on_forward_failure = config.exit_on_forward_failure.value_or(false);
    settings.server_alive_interval = config.server_alive_interval.value_or(0);
    settings.server_alive_count_max = config.server_alive_count_max.value_or(3);
    settings.no_session = config.no_session;
    settings.fork_after_auth = config.fork_after_auth;
}

}  // namespace burrow::client
