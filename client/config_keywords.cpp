// ssh_config(5) keyword handling for -o, and the defaults applied afterwards.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "client/algorithms.h"
#include "client/config_text.h"
#include "client/config_tokens.h"
#include "client/forward_keywords.h"
#include "client/options.h"
#include "client/session_keywords.h"
#include "crypto/algorithm_list.h"

namespace burrow::client {

namespace {

std::optional<bool> parse_yes_no(std::string_view v)
{
    if (iequals(v, "yes") || iequals(v, "true")) {
        return true;
    }
    if (iequals(v, "no") || iequals(v, "false")) {
        return false;
    }
    return std::nullopt;
}

std::optional<StrictHostKeyChecking> parse_strict(std::string_view v)
{
    if (iequals(v, "yes") || iequals(v, "true")) {
        return StrictHostKeyChecking::yes;
    }
    if (iequals(v, "no") || iequals(v, "false") || iequals(v, "off")) {
        return StrictHostKeyChecking::no;
    }
    if (iequals(v, "accept-new")) {
        return StrictHostKeyChecking::accept_new;
    }
    if (iequals(v, "ask")) {
        return StrictHostKeyChecking::ask;
    }
    return std::nullopt;
}

template <typename T>
void set_first(std::optional<T>& slot, T value)
{
    if (!slot) {
        slot = std::move(value);
    }
}

std::string bad_value(std::string_view keyword, std::string_view value)
{
    return "invalid value '" + std::string(value) + "' for " + std::string(keyword);
}

/// The yes/no keywords about authentication and agent forwarding, or nullptr.
std::optional<bool>* auth_switch(ClientConfig& config, std::string_view keyword)
{
    if (iequals(keyword, "ForwardAgent")) {
        return &config.forward_agent;
    }
    if (iequals(keyword, "PubkeyAuthentication")) {
        return &config.pubkey_authentication;
    }
    if (iequals(keyword, "PasswordAuthentication")) {
        return &config.password_authentication;
    }
    if (iequals(keyword, "KbdInteractiveAuthentication") ||
        iequals(keyword, "ChallengeResponseAuthentication")) {
        return &config.kbd_interactive_authentication;
    }
    return nullptr;
}

/// Keywords that take yes/no or an enumerated word. nullopt: not one of
/// these; otherwise the (possibly empty) error.
std::optional<std::optional<std::string>> apply_enum_keyword(ClientConfig& config,
                                                             std::string_view keyword,
                                                             std::string_view value)
{
    const std::optional<std::string> ok;
    if (iequals(keyword, "StrictHostKeyChecking")) {
        const auto v = parse_strict(value);
        if (!v) {
            return bad_value(keyword, value);
        }
        set_first(config.strict_host_key_checking, *v);
        return ok;
    }
    if (iequals(keyword, "BatchMode") || iequals(keyword, "IdentitiesOnly")) {
        const auto v = parse_yes_no(value);
        if (!v) {
            return bad_value(keyword, value);
        }
        set_first(iequals(keyword, "BatchMode") ? config.batch_mode : config.identities_only, *v);
        return ok;
    }
    if (auto* slot = auth_switch(config, keyword)) {
        const auto v = parse_yes_no(value);
        if (!v) {
            return bad_value(keyword, value);
        }
        set_first(*slot, *v);
        return ok;
    }
    if (iequals(keyword, "LogLevel")) {
        const auto v = parse_log_level(value);
        if (!v) {
            return bad_value(keyword, value);
        }
        set_first(config.log_level, *v);
        return ok;
    }
    if (iequals(keyword, "AddressFamily")) {
        std::optional<AddressFamily> v;
        if (iequals(value, "inet")) {
            v = AddressFamily::inet;
        } else if (iequals(value, "inet6")) {
            v = AddressFamily::inet6;
        } else if (iequals(value, "any")) {
            v = AddressFamily::any;
        } else {
            return bad_value(keyword, value);
        }
        set_first(config.address_family, *v);
        return ok;
    }
    return std::nullopt;
}

/// Keywords that take free text, numbers or file lists.
std::optional<std::optional<std::string>> apply_text_keyword(ClientConfig& config,
                                                             std::string_view keyword,
                                                             std::string_view value)
{
    const std::vector<std::string> words = split_words(value);
    if (words.empty()) {
        return "missing argument for " + std::string(keyword);
    }
    if (iequals(keyword, "Port")) {
        unsigned port = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
        if (ec != std::errc() || end != value.data() + value.size() || port == 0 || port > 65535) {
            return "Bad port '" + std::string(value) + "'";
        }
        set_first(config.port, static_cast<uint16_t>(port));
    } else if (iequals(keyword, "User")) {
        set_first(config.user, words.front());
    } else if (iequals(keyword, "HostName")) {
        set_first(config.hostname, words.front());
    } else if (iequals(keyword, "IdentityFile")) {
        if (auto error = check_tokens(words.front())) {
            return error;
        }
        // ssh(1) lists each file once (a "Match final" pass reads it again).
        if (std::find(config.identity_files.begin(), config.identity_files.end(), words.front()) ==
            config.identity_files.end()) {
            config.identity_files.push_back(words.front());
        }
    } else if (iequals(keyword, "IdentityAgent")) {
        // ssh_config(5): a socket path, "none", or "SSH_AUTH_SOCK" (the default).
        const std::string& agent = words.front();
        set_first(config.identity_agent, agent == "SSH_AUTH_SOCK" ? std::string() : agent);
    } else if (iequals(keyword, "PreferredAuthentications")) {
        set_first(config.preferred_authentications, split_list(words.front()));
    } else if (iequals(keyword, "NumberOfPasswordPrompts")) {
        unsigned count = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), count);
        if (ec != std::errc() || end != value.data() + value.size() || count > 100) {
            return bad_value(keyword, value);
        }
        set_first(config.number_of_password_prompts, count);
    } else if (iequals(keyword, "UserKnownHostsFile")) {
        for (const std::string& file : words) {
            if (auto error = check_tokens(file)) {
                return error;
            }
        }
        set_first(config.user_known_hosts_files, words);
    } else if (iequals(keyword, "GlobalKnownHostsFile")) {
        set_first(config.global_known_hosts_files, words);
    } else {
        return std::nullopt;
    }
    return std::optional<std::string>();
}

/// Algorithm lists, RekeyLimit and Compression.
std::optional<std::optional<std::string>> apply_transport_keyword(ClientConfig& config,
                                                                  std::string_view keyword,
                                                                  std::string_view value)
{
    const struct {
        std::string_view name;
        AlgorithmKind kind;
        std::optional<std::string> ClientConfig::*slot;
    } lists[] = {
        {"Ciphers", AlgorithmKind::cipher, &ClientConfig::ciphers},
        {"MACs", AlgorithmKind::mac, &ClientConfig::macs},
        {"KexAlgorithms", AlgorithmKind::kex, &ClientConfig::kex_algorithms},
        {"HostKeyAlgorithms", AlgorithmKind::host_key, &ClientConfig::host_key_algorithms},
        {"PubkeyAcceptedAlgorithms", AlgorithmKind::pubkey, &ClientConfig::pubkey_algorithms},
        // The name used before OpenSSH 8.5.
        {"PubkeyAcceptedKeyTypes", AlgorithmKind::pubkey, &ClientConfig::pubkey_algorithms},
    };
    const std::vector<std::string> words = split_words(value);
    for (const auto& list : lists) {
        if (!iequals(keyword, list.name)) {
            continue;
        }
        if (words.size() != 1) {
            return bad_value(keyword, value);
        }
        if (auto error = check_algorithm_spec(list.kind, words.front())) {
            return error;
        }
        set_first(config.*(list.slot), words.front());
        return std::optional<std::string>();
    }
    if (iequals(keyword, "RekeyLimit")) {
        std::string error;
        const auto limit = crypto::parse_rekey_limit(words, &error);
        if (!limit) {
            return error;
        }
        set_first(config.rekey_limit, *limit);
        return std::optional<std::string>();
    }
    if (iequals(keyword, "Compression")) {
        const auto v = parse_yes_no(value);
        if (!v) {
            return bad_value(keyword, value);
        }
        set_first(config.compression, *v);
        return std::optional<std::string>();
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> apply_option(ClientConfig& config, std::string_view text)
{
    text = trim(text);
    // ssh_config(5): "Keyword value", "Keyword=value" or "Keyword = value".
    size_t key_end = 0;
    while (key_end < text.size() && text[key_end] != '=' && !is_blank(text[key_end])) {
        ++key_end;
    }
    const std::string_view keyword = text.substr(0, key_end);
    std::string_view value = trim(text.substr(key_end));
    if (!value.empty() && value.front() == '=') {
        value = trim(value.substr(1));
    }
    if (keyword.empty()) {
        return std::string("empty option");
    }
    if (value.empty()) {
        return "missing argument for " + std::string(keyword);
    }
    if (auto handled = apply_enum_keyword(config, keyword, value)) {
        return *handled;
    }
    if (auto handled = apply_text_keyword(config, keyword, value)) {
        return *handled;
    }
    if (auto handled = apply_transport_keyword(config, keyword, value)) {
        return *handled;
    }
    if (auto handled = apply_session_keyword(config, keyword, value)) {
        return *handled;
    }
    if (auto handled = apply_forward_keyword(config, keyword, value)) {
        return *handled;
    }
    if (is_unimplemented_ssh_keyword(keyword)) {
        // Accepted so that scripted invocations and ~/.ssh/config keep working.
        config.ignored_options.emplace_back(keyword);
        return std::nullopt;
    }
    return std::string(unsupported_option_prefix) + std::string(keyword);
}

std::string expand_tilde(std::string_view path, std::string_view home)
{
    if (path == "~") {
        return std::string(home);
    }
    if (path.starts_with("~/")) {
        return std::string(home) + std::string(path.substr(1));
    }
    return std::string(path);
}

namespace {

/// "~" and then %-tokens (ssh_config(5) "TOKENS"); the tokens were checked
/// when the option was read, so expansion cannot fail here.
std::string expand_path(const std::string& path, const TokenValues& tokens)
{
    std::string error;
    const std::string tilde = expand_tilde(path, tokens.home);
    return expand_tokens(tilde, tokens, error).value_or(tilde);
}

std::vector<std::string> expand_files(const std::optional<std::vector<std::string>>& given,
                                      std::vector<std::string> defaults, const TokenValues& tokens)
{
    std::vector<std::string> files;
    for (const std::string& file : given ? *given : defaults) {
        if (iequals(file, "none")) {
            continue;  // ssh_config(5): "none" means no file
        }
        files.push_back(expand_path(file, tokens));
    }
    return files;
}

/// PreferredAuthentications (ssh's default order) without the methods a
/// *Authentication keyword turned off.
std::vector<std::string> enabled_methods(const ClientConfig& config)
{
    const std::vector<std::string> defaults = {"publickey", "keyboard-interactive", "password"};
    std::vector<std::string> methods;
    for (const std::string& method : config.preferred_authentications.value_or(defaults)) {
        const std::optional<bool>& enabled = method == "publickey"  ? config.pubkey_authentication
                                             : method == "password" ? config.password_authentication
                                             : method == "keyboard-interactive"
                                                 ? config.kbd_interactive_authentication
                                                 : std::optional<bool>(method == "none");
        if (enabled.value_or(true) &&
            std::find(methods.begin(), methods.end(), method) == methods.end()) {
            methods.push_back(method);
        }
    }
    return methods;
}

LogLevel effective_log_level(const ClientConfig& config)
{
    if (config.quiet) {
        return LogLevel::quiet;
    }
    if (config.verbose > 0) {
        // ssh(1): each -v raises the level by one, up to DEBUG3; it overrides LogLevel.
        const int level = static_cast<int>(LogLevel::debug1) + config.verbose - 1;
        return static_cast<LogLevel>(std::min(level, static_cast<int>(LogLevel::debug3)));
    }
    return config.log_level.value_or(LogLevel::info);
}

}  // namespace

Settings resolve_settings(const ClientConfig& config, std::string_view home,
                          std::string_view local_user)
{
    Settings s;
    s.host = config.host.value_or("");
    std::transform(s.host.begin(), s.host.end(), s.host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    s.user = config.user.value_or(std::string(local_user));
    s.port = config.port.value_or(22);
    TokenValues tokens = local_token_values(home, local_user);
    tokens.original_host = s.host;
    tokens.host = s.host;
    std::string error;
    // ssh_config(5) HostName: "%h" stands for the name given.
    s.connect_host = config.hostname
                         ? expand_tokens(*config.hostname, tokens, error).value_or(*config.hostname)
                         : s.host;
    tokens.host = s.connect_host;
    tokens.port = std::to_string(s.port);
    tokens.remote_user = s.user;
    if (config.identity_files.empty()) {
        // ssh(1) default identities, in its order, when none were named.
        for (const char* name : {"id_rsa", "id_ecdsa", "id_ed25519"}) {
            s.identity_files.push_back(std::string(home) + "/.ssh/" + name);
        }
    } else {
        for (const std::string& file : config.identity_files) {
            s.identity_files.push_back(expand_path(file, tokens));
        }
    }
    s.user_known_hosts_files = expand_files(config.user_known_hosts_files,
                                            {"~/.ssh/known_hosts", "~/.ssh/known_hosts2"}, tokens);
    s.global_known_hosts_files =
        expand_files(config.global_known_hosts_files,
                     {"/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"}, tokens);
    s.strict_host_key_checking =
        config.strict_host_key_checking.value_or(StrictHostKeyChecking::ask);
    s.batch_mode = config.batch_mode.value_or(false);
    s.identities_only = config.identities_only.value_or(false);
    s.forward_agent = config.forward_agent.value_or(false);
    s.identity_agent = config.identity_agent ? expand_path(*config.identity_agent, tokens) : "";
    s.number_of_password_prompts = config.number_of_password_prompts.value_or(3);
    s.preferred_authentications = enabled_methods(config);
    s.log_level = effective_log_level(config);
    s.cipher_spec = config.ciphers.value_or("");
    s.mac_spec = config.macs.value_or("");
    s.kex_spec = config.kex_algorithms.value_or("");
    s.host_key_spec = config.host_key_algorithms;
    s.pubkey_spec = config.pubkey_algorithms.value_or("");
    s.rekey_limit = config.rekey_limit.value_or(crypto::RekeyLimit{});
    s.compression = config.compression.value_or(false);
    s.address_family = config.address_family.value_or(AddressFamily::any);
    resolve_session_settings(config, s);
    resolve_forward_settings(config, s);
    s.command = config.command;
    s.stdin_null = config.stdin_null;
    return s;
}

std::optional<std::vector<std::string>> resolve_algorithm_list(
    std::string_view spec, const std::vector<std::string>& defaults,
    const std::vector<std::string>& supported, std::string& error)
{
    return crypto::apply_algorithm_list(spec, defaults, supported, &error);
}

}  // namespace burrow::client
