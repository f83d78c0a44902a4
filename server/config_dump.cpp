#include "server/config_dump.h"

#include <algorithm>
#include <cstdio>

#include "server/config_checks.h"

namespace burrow::server {

namespace {

std::string yes_no(bool value)
{
    return value ? "yes" : "no";
}

std::string join(const std::vector<std::string>& items, const char* separator)
{
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : separator) + item;
    }
    return out;
}

std::string scope_name(ForwardScope scope)
{
    switch (scope) {
        case ForwardScope::none:
            return "no";
        case ForwardScope::local:
            return "local";
        case ForwardScope::remote:
            return "remote";
        case ForwardScope::all:
            break;
    }
    return "yes";
}

std::string gateway_name(GatewayPorts value)
{
    return value == GatewayPorts::yes               ? "yes"
           : value == GatewayPorts::clientspecified ? "clientspecified"
                                                    : "no";
}

std::string root_login_name(PermitRootLogin value)
{
    // sshd -T prints the old spelling "without-password".
    switch (value) {
        case PermitRootLogin::yes:
            return "yes";
        case PermitRootLogin::prohibit_password:
            return "without-password";
        case PermitRootLogin::forced_commands_only:
            return "forced-commands-only";
        case PermitRootLogin::no:
            break;
    }
    return "no";
}

std::string log_level_name(LogLevel level)
{
    constexpr const char* names[] = {"QUIET",   "FATAL",  "ERROR",  "INFO",
                                     "VERBOSE", "DEBUG1", "DEBUG2", "DEBUG3"};
    return names[static_cast<size_t>(level)];
}

std::string permit_list(const PermitList& list)
{
    if (list.any) {
        return "any";
    }
    if (list.entries.empty()) {
        return "none";
    }
    std::vector<std::string> parts;
    for (const PermitEntry& e : list.entries) {
        const std::string port = e.port ? std::to_string(*e.port) : "*";
        const bool v6 = e.host.find(':') != std::string::npos;
        parts.push_back(e.host.empty() ? port : (v6 ? "[" + e.host + "]" : e.host) + ":" + port);
    }
    return join(parts, " ");
}

std::string listen_text(const ListenEndpoint& e)
{
    const bool v6 = e.host.find(':') != std::string::npos;
    return (v6 ? "[" + e.host + "]" : e.host) + ":" + std::to_string(e.port);
}

std::string family_name(AddressFamily family)
{
    return family == AddressFamily::inet    ? "inet"
           : family == AddressFamily::inet6 ? "inet6"
                                            : "any";
}

std::string auth_methods(const std::vector<std::vector<std::string>>& lists)
{
    if (lists.empty()) {
        return "any";
    }
    std::vector<std::string> parts;
    for (const std::vector<std::string>& list : lists) {
        parts.push_back(join(list, ","));
    }
    return join(parts, " ");
}

void dump_listen(const ServerConfig& c, ConfigDumpLines& out)
{
    std::vector<uint16_t> ports;
    for (const ListenEndpoint& e : c.listen) {
        if (std::find(ports.begin(), ports.end(), e.port) == ports.end()) {
            ports.push_back(e.port);
            out.emplace_back("port", std::to_string(e.port));
        }
    }
    out.emplace_back("addressfamily", family_name(c.address_family));
    for (const ListenEndpoint& e : c.listen) {
        out.emplace_back("listenaddress", listen_text(e));
    }
}

void dump_auth(const ServerConfig& c, ConfigDumpLines& out)
{
    const AuthSettings& a = c.auth;
    out.emplace_back("usepam", yes_no(a.use_pam));
    out.emplace_back("logingracetime", std::to_string(a.login_grace_time.count()));
    out.emplace_back("permitrootlogin", root_login_name(a.permit_root_login));
    out.emplace_back("pubkeyauthentication", yes_no(a.pubkey_authentication));
    out.emplace_back("passwordauthentication", yes_no(a.password_authentication));
    out.emplace_back("kbdinteractiveauthentication", yes_no(a.kbd_interactive_authentication));
    out.emplace_back("permitemptypasswords", yes_no(a.permit_empty_passwords));
    out.emplace_back("maxauthtries", std::to_string(a.max_auth_tries));
    out.emplace_back("authenticationmethods", auth_methods(a.authentication_methods));
    out.emplace_back("strictmodes", yes_no(c.strict_modes));
    out.emplace_back("permituserenvironment", yes_no(c.permit_user_environment));
    out.emplace_back("authorizedkeysfile", join(c.authorized_keys_files, " "));
    out.emplace_back("printmotd", yes_no(c.print_motd));
    out.emplace_back("tcpkeepalive", yes_no(c.tcp_keep_alive));
    out.emplace_back("printlastlog", yes_no(c.print_last_log));
    out.emplace_back("banner", c.banner.empty() ? "none" : c.banner);
    out.emplace_back("usedns", yes_no(c.use_dns));
    const AccessLists& l = c.access;
    for (const auto& [key, list] :
         {std::pair{"allowusers", &l.allow_users}, std::pair{"denyusers", &l.deny_users},
          std::pair{"allowgroups", &l.allow_groups}, std::pair{"denygroups", &l.deny_groups}}) {
        for (const std::string& entry : *list) {
            out.emplace_back(key, entry);
        }
    }
}

void dump_transport(const ServerConfig& c, ConfigDumpLines& out)
{
    out.emplace_back("ciphers", join(c.ciphers, ","));
    out.emplace_back("macs", join(c.macs, ","));
    out.emplace_back("kexalgorithms", join(c.kex_algorithms, ","));
    out.emplace_back("hostkeyalgorithms", join(c.host_key_algorithms, ","));
    out.emplace_back("pubkeyacceptedalgorithms", join(c.pubkey_algorithms, ","));
    const bool zlib = std::find(c.compression.begin(), c.compression.end(), "zlib@openssh.com") !=
                      c.compression.end();
    out.emplace_back("compression", zlib ? "yes" : "no");
    out.emplace_back("rekeylimit", std::to_string(c.rekey_limit.bytes) + " " +
                                       std::to_string(c.rekey_limit.interval.count()));
    if (c.moduli_file) {
        out.emplace_back("modulifile", *c.moduli_file);
    }
}

void dump_session(const ServerConfig& c, ConfigDumpLines& out)
{
    const SessionSettings& s = c.session;
    out.emplace_back("permittty", yes_no(s.permit_tty));
    out.emplace_back("forcecommand", s.force_command.value_or("none"));
    out.emplace_back("chrootdirectory", s.chroot_directory.value_or("none"));
    out.emplace_back("maxsessions", std::to_string(s.max_sessions));
    for (const std::string& pattern : s.accept_env) {
        out.emplace_back("acceptenv", pattern);
    }
    if (!s.set_env.empty()) {
        std::string joined;
        for (const std::string& entry : s.set_env) {
            joined += (joined.empty() ? "" : " ") + entry;
        }
        out.emplace_back("setenv", joined);
    }
    for (const auto& [name, command] : s.subsystems) {
        out.emplace_back("subsystem", name + " " + command);
    }
}

void dump_forwarding(const ServerConfig& c, ConfigDumpLines& out)
{
    const ForwardingSettings& f = c.forwarding;
    out.emplace_back("allowagentforwarding", yes_no(c.allow_agent_forwarding));
    out.emplace_back("gatewayports", gateway_name(f.gateway_ports));
    out.emplace_back("allowtcpforwarding", scope_name(f.tcp));
    out.emplace_back("allowstreamlocalforwarding", scope_name(f.stream_local));
    out.emplace_back("disableforwarding", yes_no(f.disable_forwarding));
    out.emplace_back("permitopen", permit_list(f.permit_open));
    out.emplace_back("permitlisten", permit_list(f.permit_listen));
    char mask[8];
    std::snprintf(mask, sizeof mask, "%04o", static_cast<unsigned>(f.stream_local_bind_mask));
    out.emplace_back("streamlocalbindmask", mask);
    out.emplace_back("streamlocalbindunlink", yes_no(f.stream_local_bind_unlink));
    out.emplace_back("clientaliveinterval", std::to_string(f.client_alive_interval.count()));
    out.emplace_back("clientalivecountmax", std::to_string(f.client_alive_count_max));
}

}  // namespace

ConfigDumpLines dump_config(const ServerConfig& config)
{
    ConfigDumpLines out;
    dump_listen(config, out);
    for (const std::string& key : config.host_keys) {
        out.emplace_back("hostkey", key);
    }
    out.emplace_back("pidfile", config.pid_file);
    out.emplace_back("loglevel", log_level_name(config.log_level));
    out.emplace_back("syslogfacility", config.syslog_facility);
    dump_auth(config, out);
    dump_transport(config, out);
    dump_session(config, out);
    dump_forwarding(config, out);
    dump_unsupported_keywords(out);
    dump_daemon_settings(config.daemon, out);
    return out;
}

std::string format_dump(const ConfigDumpLines& lines)
{
    std::string out;
    for (const auto& [key, value] : lines) {
        out += key + " " + value + "\n";
    }
    return out;
}

int run_dump_config(const Options& options)
{
    /// sshd(8) exits 255 on configuration errors.
    constexpr int exit_config_error = 255;
    try {
        const ConfigSource source = load_config_source(options);
        std::optional<ConnectionInfo> connection;
        if (!options.connection_specs.empty()) {
            connection = parse_connection_spec(options.connection_specs);
        }
        const ServerConfig config =
            resolve_config(options, source, connection ? &*connection : nullptr);
        const std::string text = format_dump(dump_config(config));
        std::fwrite(text.data(), 1, text.size(), stdout);
        return std::fflush(stdout) == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return exit_config_error;
    }
}

ConnectionInfo parse_connection_spec(const std::vector<std::string>& specs)
{
    ConnectionInfo info;
    for (const std::string& spec : specs) {
        size_t pos = 0;
        while (pos <= spec.size()) {
            const size_t end = std::min(spec.find(',', pos), spec.size());
            const std::string item = spec.substr(pos, end - pos);
            pos = end + 1;
            const size_t eq = item.find('=');
            if (eq == std::string::npos || eq + 1 == item.size()) {
                throw ConfigError("invalid test mode specification \"" + item + "\"");
            }
            const std::string key = item.substr(0, eq);
            const std::string value = item.substr(eq + 1);
            if (key == "user") {
                info.user = value;
            } else if (key == "host") {
                info.host = value;
            } else if (key == "addr") {
                info.address = value;
            } else if (key == "laddr") {
                info.local_address = value;
            } else if (key == "lport") {
                const std::optional<uint16_t> port = parse_port(value);
                if (!port) {
                    throw ConfigError("invalid test mode specification: bad lport \"" + value +
                                      "\"");
                }
                info.local_port = *port;
            } else {
                throw ConfigError("invalid test mode specification: unknown key \"" + key + "\"");
            }
        }
    }
    if (info.host.empty()) {
        info.host = info.address;
    }
    return info;
}

}  // namespace burrow::server
