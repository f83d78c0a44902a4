// ssh -G style printing of the effective configuration.
#include "client/config_dump.h"

#include "client/algorithms.h"
#include "client/session_keywords.h"

namespace burrow::client {

namespace {

std::string yes_no(bool value)
{
    return value ? "yes" : "no";
}

std::string join(const std::vector<std::string>& items, char separator)
{
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) {
            out.push_back(separator);
        }
        out += item;
    }
    return out;
}

std::string strict_name(StrictHostKeyChecking value)
{
    switch (value) {
        case StrictHostKeyChecking::yes:
            return "true";
        case StrictHostKeyChecking::no:
            return "false";
        case StrictHostKeyChecking::accept_new:
            return "accept-new";
        case StrictHostKeyChecking::ask:
            break;
    }
    return "ask";
}

std::string address_family_name(AddressFamily value)
{
    switch (value) {
        case AddressFamily::inet:
            return "inet";
        case AddressFamily::inet6:
            return "inet6";
        case AddressFamily::any:
            break;
    }
    return "any";
}

std::string log_level_name(LogLevel level)
{
    constexpr const char* names[] = {"QUIET",   "FATAL",  "ERROR",  "INFO",
                                     "VERBOSE", "DEBUG1", "DEBUG2", "DEBUG3"};
    return names[static_cast<size_t>(level)];
}

/// ssh -G writes a control character as "\^X" and "none" for no escape.
std::string escape_name(const std::optional<char>& escape)
{
    if (!escape) {
        return "none";
    }
    const auto c = static_cast<unsigned char>(*escape);
    if (c < 0x20 || c == 0x7f) {
        return std::string("\\^") + static_cast<char>(c ^ 0x40);
    }
    return std::string(1, *escape);
}

/// The algorithm list a spec resolves to (the spec itself if it is bad,
/// which cannot happen: specs are checked when read).
std::string algorithms(AlgorithmKind kind, const std::string& spec)
{
    const std::vector<std::string> defaults = default_algorithms(kind);
    if (spec.empty()) {
        return join(defaults, ',');
    }
    std::string error;
    const auto list = resolve_algorithm_list(spec, defaults, supported_algorithms(kind), error);
    return list ? join(*list, ',') : spec;
}

}  // namespace

std::string dump_config(const ClientConfig& config, const Settings& s)
{
    std::string out;
    const auto line = [&out](const std::string& keyword, const std::string& value) {
        out += keyword + " " + value + "\n";
    };
    line("host", config.host.value_or(s.host));  // as given, like ssh -G
    line("user", s.user);
    line("hostname", s.connect_host);
    line("port", std::to_string(s.port));
    line("addressfamily", address_family_name(s.address_family));
    line("batchmode", yes_no(s.batch_mode));
    line("compression", yes_no(s.compression));
    line("identitiesonly", yes_no(s.identities_only));
    line("kbdinteractiveauthentication",
         yes_no(config.kbd_interactive_authentication.value_or(true)));
    line("passwordauthentication", yes_no(config.password_authentication.value_or(true)));
    line("pubkeyauthentication", yes_no(config.pubkey_authentication.value_or(true)));
    line("requesttty", std::string(request_tty_name(s.request_tty)));
    line("stricthostkeychecking", strict_name(s.strict_host_key_checking));
    line("numberofpasswordprompts", std::to_string(s.number_of_password_prompts));
    line("ciphers", algorithms(AlgorithmKind::cipher, s.cipher_spec));
    line("hostkeyalgorithms", algorithms(AlgorithmKind::host_key, s.host_key_spec.value_or("")));
    line("kexalgorithms", algorithms(AlgorithmKind::kex, s.kex_spec));
    line("loglevel", log_level_name(s.log_level));
    line("macs", algorithms(AlgorithmKind::mac, s.mac_spec));
    line("pubkeyacceptedalgorithms", algorithms(AlgorithmKind::pubkey, s.pubkey_spec));
    if (config.identity_files.empty()) {
        for (const char* name : {"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ed25519"}) {
            line("identityfile", name);
        }
    }
    for (const std::string& file : config.identity_files) {
        line("identityfile", file);
    }
    line("globalknownhostsfile", join(s.global_known_hosts_files, ' '));
    line("userknownhostsfile", join(s.user_known_hosts_files, ' '));
    if (config.preferred_authentications) {
        line("preferredauthentications", join(*config.preferred_authentications, ','));
    }
    for (const std::string& pattern : s.send_env) {
        line("sendenv", pattern);
    }
    for (const std::string& pair : s.set_env) {
        line("setenv", pair);
    }
    line("forwardagent", yes_no(s.forward_agent));
    if (!s.identity_agent.empty()) {
        line("identityagent", s.identity_agent);
    }
    line("escapechar", escape_name(s.escape_char));
    // Port forwarding, in ssh -G's spelling.
    line("clearallforwardings", yes_no(s.clear_all_forwardings));
    line("exitonforwardfailure", yes_no(s.exit_on_forward_failure));
    line("gatewayports", yes_no(s.gateway_ports));
    line("forkafterauthentication", yes_no(s.fork_after_auth));
    if (s.no_session) {
        line("sessiontype", "none");
    }
    line("serveralivecountmax", std::to_string(s.server_alive_count_max));
    line("serveraliveinterval", std::to_string(s.server_alive_interval));
    for (const ForwardSpec& spec : s.forwards) {
        if (spec.kind == ForwardSpec::Kind::dynamic) {
            line("dynamicforward", describe_listen(spec));
        } else {
            line(spec.kind == ForwardSpec::Kind::local ? "localforward" : "remoteforward",
                 describe_listen(spec) + " " + describe_connect(spec));
        }
    }
    line("rekeylimit", std::to_string(s.rekey_limit.bytes) + " " +
                           std::to_string(s.rekey_limit.interval.count()));
    return out;
}

}  // namespace burrow::client
