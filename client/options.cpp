// Command-line parsing for burrow (ssh(1) option letters and argument order).
#include "client/options.h"

#include <charconv>

#include "client/algorithms.h"
#include "client/forward_keywords.h"

namespace burrow::client {

namespace {

/// Option letters taking an argument, and flags without one.
constexpr std::string_view options_with_argument = "cDeFiLlmopQR";
constexpr std::string_view flag_options = "46AaCfGghNnqTtvV";

/// ssh(1) a2port: 1..65535, digits only.
std::optional<uint16_t> parse_port(std::string_view text)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
        return std::nullopt;
    }
    return static_cast<uint16_t>(value);
}

/// The "[user@]host" destination. ssh(1) splits at the last '@' and, like
/// every option, a user obtained earlier (-l before the host) wins.
std::optional<std::string> set_destination(ClientConfig& config, std::string_view dest)
{
    const size_t at = dest.rfind('@');
    if (at != std::string_view::npos) {
        if (at == 0 || at + 1 == dest.size()) {
            return "invalid destination '" + std::string(dest) + "'";
        }
        if (!config.user) {
            config.user = std::string(dest.substr(0, at));
        }
        dest.remove_prefix(at + 1);
    }
    if (dest.empty()) {
        return std::string("empty host name");
    }
    config.host = std::string(dest);
    return std::nullopt;
}

/// One flag without argument.
void apply_flag(ClientConfig& config, char flag, ParseResult& result)
{
    switch (flag) {
        case '4':
            if (!config.address_family) {
                config.address_family = AddressFamily::inet;
            }
            break;
        case '6':
            if (!config.address_family) {
                config.address_family = AddressFamily::inet6;
            }
            break;
        case 'A':
        case 'a':
            // ssh(1): -A / -a enable / disable agent forwarding; the first wins.
            if (!config.forward_agent) {
                config.forward_agent = flag == 'A';
            }
            break;
        case 'C':
            if (!config.compression) {
                config.compression = true;
            }
            break;
        case 'f':
            // ssh(1) -f: background after authentication; implies -n.
            config.fork_after_auth = true;
            config.stdin_null = true;
            break;
        case 'G':
            result.print_config = true;
            break;
        case 'g':
            // ssh(1) -g: remote hosts may connect to local forwarded ports.
            if (!config.gateway_ports) {
                config.gateway_ports = true;
            }
            break;
        case 'N':
            config.no_session = true;
            break;
        case 'h':
            result.action = CommandAction::help;
            break;
        case 'n':
            config.stdin_null = true;
            break;
        case 'q':
            config.quiet = true;
            break;
        case 'T':
            // ssh(1): -T disables, -t requests and -tt forces a pty; the
            // command line is read first, so these beat RequestTTY.
            config.request_tty = RequestTty::no;
            break;
        case 't':
            config.request_tty =
                config.request_tty == RequestTty::yes || config.request_tty == RequestTty::force
                    ? RequestTty::force
                    : RequestTty::yes;
            break;
        case 'v':
            ++config.verbose;
            break;
        case 'V':
            result.action = CommandAction::version;
            break;
        default:
            break;
    }
}

/// One option with its argument. Returns an error message on failure.
std::optional<std::string> apply_argument_option(ClientConfig& config, char option,
                                                 const std::string& value)
{
    switch (option) {
        case 'c':
        case 'm': {
            // ssh(1) -c / -m take the same list syntax as Ciphers / MACs.
            const AlgorithmKind kind = option == 'c' ? AlgorithmKind::cipher : AlgorithmKind::mac;
            if (auto error = check_algorithm_spec(kind, value)) {
                return error;
            }
            std::optional<std::string>& slot = option == 'c' ? config.ciphers : config.macs;
            if (!slot) {
                slot = value;
            }
            return std::nullopt;
        }
        case 'e': {
            std::optional<char> escape;
            if (!parse_escape_char(value, escape)) {
                return "Bad escape character '" + value + "'.";
            }
            if (!config.escape_char) {
                config.escape_char = escape;
            }
            return std::nullopt;
        }
        case 'i':
            config.identity_files.push_back(value);
            return std::nullopt;
        case 'D':
        case 'L':
        case 'R':
            return add_forward_option(config, option, value);
        case 'l':
            if (!config.user) {
                config.user = value;
            }
            return std::nullopt;
        case 'o':
            return apply_option(config, value);
        case 'p': {
            const auto port = parse_port(value);
            if (!port) {
                return "Bad port '" + value + "'";
            }
            if (!config.port) {
                config.port = port;
            }
            return std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

/// Parse one "-abc" cluster starting at args[i]; advances i past what it used.
std::optional<std::string> parse_cluster(const std::vector<std::string>& args, size_t& i,
                                         ParseResult& result)
{
    const std::string& arg = args[i++];
    for (size_t j = 1; j < arg.size(); ++j) {
        const char c = arg[j];
        if (options_with_argument.find(c) != std::string_view::npos) {
            std::string value;
            if (j + 1 < arg.size()) {
                value = arg.substr(j + 1);
            } else if (i < args.size()) {
                value = args[i++];
            } else {
                return std::string("option requires an argument -- ") + c;
            }
            if (c == 'F') {
                // ssh(1) -F: the last one given is used.
                result.config_file = value;
                return std::nullopt;
            }
            if (c == 'Q') {
                // ssh(1) -Q: print a list and exit; no destination needed.
                result.action = CommandAction::query;
                result.query = value;
                return std::nullopt;
            }
            return apply_argument_option(result.config, c, value);
        }
        if (flag_options.find(c) == std::string_view::npos) {
            return std::string("unknown option -- ") + c;
        }
        apply_flag(result.config, c, result);
    }
    return std::nullopt;
}

std::string join_from(const std::vector<std::string>& args, size_t first)
{
    std::string joined;
    for (size_t k = first; k < args.size(); ++k) {
        if (k != first) {
            joined.push_back(' ');
        }
        joined += args[k];
    }
    return joined;
}

}  // namespace

ParseResult parse_command_line(const std::vector<std::string>& args)
{
    ParseResult result;
    bool options_done = false;
    size_t i = 0;
    while (i < args.size()) {
        const std::string& arg = args[i];
        if (!options_done && arg == "--") {
            options_done = true;
            ++i;
            continue;
        }
        if (!options_done && arg == "--help") {
            result.action = CommandAction::help;
            return result;
        }
        if (!options_done && arg.size() > 1 && arg[0] == '-') {
            if (auto error = parse_cluster(args, i, result)) {
                result.action = CommandAction::usage_error;
                result.error = *error;
                return result;
            }
            continue;
        }
        if (!result.config.host) {
            // Like ssh(1), options may still follow the destination.
            if (auto error = set_destination(result.config, arg)) {
                result.action = CommandAction::usage_error;
                result.error = *error;
                return result;
            }
            ++i;
            continue;
        }
        result.config.command = join_from(args, i);
        break;
    }
    if (result.action == CommandAction::run && !result.config.host) {
        result.action = CommandAction::usage_error;
    }
    return result;
}

std::string usage_text()
{
    return "usage: burrow [-46AaCfGghNnqTtvV] [-c cipher_spec] [-D [bind_address:]port]\n"
           "              [-e escape_char] [-F configfile] [-i identity_file]\n"
           "              [-L address] [-l login_name] [-m mac_spec] [-o option] [-p port]\n"
           "              [-Q query_option] [-R address]\n"
           "              [user@]hostname [command [argument ...]]\n";
}

}  // namespace burrow::client
