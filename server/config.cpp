#include "server/config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>

#include "server/config_checks.h"
#include "server/host_keys.h"
#include "server/text_case.h"

namespace burrow::server {

namespace {

constexpr const char* default_pid_file = "/run/burrowd.pid";
constexpr uint16_t default_port = 22;

/// Keywords that accumulate over several lines.
bool is_list_keyword(const std::string& key)
{
    return key == "port" || key == "listenaddress" || key == "hostkey" || key == "acceptenv" ||
           key == "allowusers" || key == "denyusers" || key == "allowgroups" || key == "denygroups";
}

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// Split arguments on whitespace; "double quoted" arguments may hold spaces.
std::vector<std::string> split_args(std::string_view rest, std::string_view where)
{
    std::vector<std::string> args;
    size_t i = 0;
    while (i < rest.size()) {
        if (is_space(rest[i])) {
            ++i;
            continue;
        }
        std::string arg;
        if (rest[i] == '"') {
            const size_t close = rest.find('"', i + 1);
            if (close == std::string_view::npos) {
                throw ConfigError(std::string(where) + ": unterminated quote");
            }
            arg = std::string(rest.substr(i + 1, close - i - 1));
            i = close + 1;
        } else {
            while (i < rest.size() && !is_space(rest[i])) {
                arg.push_back(rest[i++]);
            }
        }
        args.push_back(std::move(arg));
    }
    return args;
}

}  // namespace

void config_fail(std::string_view where, const std::string& what)
{
    throw ConfigError(std::string(where) + ": " + what);
}

void require_args(const std::vector<std::string>& args, size_t min, size_t max,
                  const std::string& keyword, std::string_view where)
{
    if (args.size() < min) {
        config_fail(where, "missing argument for \"" + keyword + "\"");
    }
    if (args.size() > max) {
        config_fail(where, "too many arguments for \"" + keyword + "\"");
    }
}

std::optional<uint16_t> parse_port(std::string_view text)
{
    if (text.empty() || text.size() > 5) {
        return std::nullopt;
    }
    unsigned value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) {
        return std::nullopt;
    }
    return static_cast<uint16_t>(value);
}

ListenAddress parse_listen_address(std::string_view value)
{
    ListenAddress out;
    std::string_view port_text;
    if (!value.empty() && value.front() == '[') {
        const size_t close = value.find(']');
        if (close == std::string_view::npos || close == 1) {
            throw ConfigError("bad address \"" + std::string(value) + "\"");
        }
        out.host = std::string(value.substr(1, close - 1));
        const std::string_view after = value.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                throw ConfigError("bad address \"" + std::string(value) + "\"");
            }
            port_text = after.substr(1);
            if (port_text.empty()) {
                throw ConfigError("missing port in \"" + std::string(value) + "\"");
            }
        }
    } else if (std::count(value.begin(), value.end(), ':') == 1) {
        // Exactly one colon: host:port. More colons: a bare IPv6 address.
        const size_t colon = value.find(':');
        out.host = std::string(value.substr(0, colon));
        port_text = value.substr(colon + 1);
        if (out.host.empty() || port_text.empty()) {
            throw ConfigError("bad address \"" + std::string(value) + "\"");
        }
    } else {
        out.host = std::string(value);
    }
    if (out.host.empty()) {
        throw ConfigError("empty address");
    }
    if (!port_text.empty()) {
        out.port = parse_port(port_text);
        if (!out.port) {
            throw ConfigError("bad port number \"" + std::string(port_text) + "\"");
        }
    }
    return out;
}

void ConfigParser::apply_override(std::string_view line, size_t index)
{
    const std::string where = "command-line:" + std::to_string(index);
    if (auto tokens = split_config_line(line, where)) {
        apply(tokens->first, tokens->second, where, ConfigTier::command_line);
    }
}

void ConfigParser::apply_file_text(std::string_view text, std::string_view origin)
{
    size_t line_no = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        ++line_no;
        const std::string where = std::string(origin) + ":" + std::to_string(line_no);
        if (auto tokens = split_config_line(text.substr(pos, end - pos), where)) {
            apply(tokens->first, tokens->second, where, ConfigTier::file);
        }
        pos = end + 1;
    }
}

std::optional<std::pair<std::string, std::vector<std::string>>> split_config_line(
    std::string_view line, std::string_view where)
{
    size_t i = 0;
    while (i < line.size() && is_space(line[i])) {
        ++i;
    }
    if (i == line.size() || line[i] == '#') {
        return std::nullopt;  // sshd_config(5): empty lines and '#' lines are comments
    }
    const size_t start = i;
    while (i < line.size() && !is_space(line[i]) && line[i] != '=') {
        ++i;
    }
    std::string keyword(line.substr(start, i - start));
    // "Keyword value", "Keyword=value" and "Keyword = value" are all allowed.
    while (i < line.size() && is_space(line[i])) {
        ++i;
    }
    if (i < line.size() && line[i] == '=') {
        ++i;
    }
    return std::make_pair(std::move(keyword), split_args(line.substr(i), where));
}

void ConfigParser::apply(const std::string& keyword, const std::vector<std::string>& args,
                         std::string_view where, ConfigTier tier)
{
    m_tier = tier;
    apply_keyword(keyword, args, where);
}

void ConfigParser::apply_keyword(const std::string& keyword, const std::vector<std::string>& args,
                                 std::string_view where)
{
    const std::string key = lower_case(keyword);
    // List keywords accumulate within one tier, but a higher tier's values
    // (-o, then a matching Match block) replace the lower tiers'.
    if (is_list_keyword(key)) {
        const auto [it, first] = m_list_tiers.emplace(key, m_tier);
        if (!first && it->second != m_tier) {
            return;  // checked when the source was loaded
        }
    }
    const auto fail = [&](const std::string& what) {
        throw ConfigError(std::string(where) + ": " + what);
    };
    if (key == "port") {
        require_args(args, 1, 1, keyword, where);
        const std::optional<uint16_t> port = parse_port(args[0]);
        if (!port) {
            fail("bad port number \"" + args[0] + "\"");
        }
        m_raw.ports.push_back(*port);
    } else if (key == "listenaddress") {
        require_args(args, 1, 3, keyword, where);
        if (args.size() > 1) {
            // sshd_config(5): "ListenAddress host [rdomain domain]".
            fail(lower_case(args[1]) == "rdomain"
                     ? "ListenAddress " + args[0] + " rdomain: burrowd has no routing domains"
                     : "bad ListenAddress arguments after \"" + args[0] + "\"");
        }
        try {
            m_raw.listen_addresses.push_back(parse_listen_address(args[0]));
        } catch (const ConfigError& e) {
            fail(e.what());
        }
    } else if (key == "hostkey") {
        require_args(args, 1, 1, keyword, where);
        m_raw.host_keys.push_back(args[0]);
    } else if (key == "authorizedkeysfile") {
        require_args(args, 1, 64, keyword, where);
        if (!m_raw.authorized_keys_files) {  // first value wins
            m_raw.authorized_keys_files = args;
        }
    } else if (key == "pidfile") {
        require_args(args, 1, 1, keyword, where);
        if (!m_raw.pid_file) {
            m_raw.pid_file = args[0];
        }
    } else if (key == "loglevel") {
        require_args(args, 1, 1, keyword, where);
        const std::optional<LogLevel> level = parse_log_level(args[0]);
        if (!level) {
            fail("unsupported log level \"" + args[0] + "\"");
        }
        if (!m_raw.log_level) {
            m_raw.log_level = level;
        }
    } else if (key == "strictmodes" || key == "permituserenvironment" ||
               key == "allowagentforwarding") {
        // authorized_keys handling and AllowAgentForwarding: "yes" or "no";
        // the first value wins.
        require_args(args, 1, 1, keyword, where);
        const std::string value = lower_case(args[0]);
        if (value != "yes" && value != "no") {
            fail("unsupported " + keyword + " value \"" + args[0] + "\"");
        }
        std::optional<bool>& slot = key == "strictmodes"             ? m_raw.strict_modes
                                    : key == "permituserenvironment" ? m_raw.permit_user_environment
                                                                     : m_raw.allow_agent_forwarding;
        if (!slot) {
            slot = value == "yes";
        }
    } else if (!apply_transport_keyword(key, keyword, args, where) &&
               !apply_auth_keyword(key, keyword, args, where) &&
               !apply_session_keyword(key, keyword, args, where) &&
               !apply_forwarding_keyword(key, keyword, args, where) &&
               !apply_daemon_keyword(key, keyword, args, where) &&
               !apply_access_keyword(key, keyword, args, where)) {
        fail("unknown keyword \"" + keyword + "\"");
    }
}

ServerConfig resolve_config(const Options& options, const RawConfig& raw)
{
    ServerConfig out;
    // sshd(8) -p: command-line ports replace the file's Port lines.
    std::vector<uint16_t> ports;
    for (const std::string& p : options.ports) {
        const std::optional<uint16_t> port = parse_port(p);
        if (!port) {
            throw ConfigError("command-line: bad port number \"" + p + "\"");
        }
        ports.push_back(*port);
    }
    if (ports.empty()) {
        ports = raw.ports;
    }
    if (ports.empty()) {
        ports.push_back(default_port);
    }
    // ListenAddress without a port listens on every Port; one with a port
    // keeps it.
    const std::vector<ListenAddress> addresses = listen_addresses(raw);
    for (const ListenAddress& a : addresses) {
        if (a.port) {
            out.listen.push_back(ListenEndpoint{a.host, *a.port});
            continue;
        }
        for (const uint16_t port : ports) {
            out.listen.push_back(ListenEndpoint{a.host, port});
        }
    }
    out.host_keys = options.host_keys;
    out.host_keys.insert(out.host_keys.end(), raw.host_keys.begin(), raw.host_keys.end());
    if (out.host_keys.empty()) {
        out.default_host_keys = true;
        // Beside the configuration file (/etc/burrow by default); missing
        // ones are skipped, and created on first start (server/host_keys.h).
        out.host_keys = default_host_key_paths(options.config_file);
    }
    out.authorized_keys_files = raw.authorized_keys_files.value_or(
        std::vector<std::string>{".ssh/authorized_keys", ".ssh/authorized_keys2"});
    out.pid_file = raw.pid_file.value_or(default_pid_file);
    out.log_level = raw.log_level.value_or(LogLevel::info);
    if (options.debug > 0) {
        // sshd -d: debug1; -dd: debug2; -ddd: debug3.
        out.log_level = options.debug == 1   ? LogLevel::debug1
                        : options.debug == 2 ? LogLevel::debug2
                                             : LogLevel::debug3;
    }
    out.strict_modes = raw.strict_modes.value_or(true);
    out.permit_user_environment = raw.permit_user_environment.value_or(false);
    out.allow_agent_forwarding = raw.allow_agent_forwarding.value_or(true);
    resolve_transport(raw, out);
    resolve_auth(raw, out);
    resolve_session(raw, out);
    resolve_forwarding(raw, out);
    resolve_daemon(raw, out);
    out.syslog_facility = raw.syslog_facility.value_or("AUTH");
    resolve_access(raw, out);
    return out;
}

ServerConfig load_config(const Options& options)
{
    return resolve_config(options, load_config_source(options), nullptr);
}

std::optional<std::string> expand_user_path(std::string_view pattern, std::string_view user,
                                            std::string_view home)
{
    std::string out;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%') {
            out.push_back(pattern[i]);
            continue;
        }
        if (i + 1 == pattern.size()) {
            return std::nullopt;
        }
        const char token = pattern[++i];
        if (token == '%') {
            out.push_back('%');
        } else if (token == 'h') {
            out.append(home);
        } else if (token == 'u') {
            out.append(user);
        } else {
            return std::nullopt;
        }
    }
    if (out.empty() || out.front() != '/') {
        // sshd_config(5): relative paths are taken from the user's home.
        std::string absolute(home);
        if (absolute.empty() || absolute.back() != '/') {
            absolute.push_back('/');
        }
        out = absolute + out;
    }
    return out;
}

}  // namespace burrow::server
