#include "server/forwarding_policy.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "server/key_options.h"
#include "server/text_case.h"

namespace burrow::server {

namespace {

/// "*" -> nullopt (any port); a number 0..65535; otherwise false in `ok`.
std::optional<uint16_t> parse_permit_port(std::string_view text, bool& ok)
{
    ok = true;
    if (text == "*") {
        return std::nullopt;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    ok = !text.empty() && ec == std::errc() && end == text.data() + text.size() && value <= 65535;
    return static_cast<uint16_t>(value);
}

/// Split "host:port" / "[v6]:port" at the last colon outside brackets.
bool split_host_port(std::string_view text, std::string& host, std::string_view& port)
{
    if (text.starts_with("[")) {
        const size_t close = text.find("]:");
        if (close == std::string_view::npos) {
            return false;
        }
        host = std::string(text.substr(1, close - 1));
        port = text.substr(close + 2);
        return !host.empty();
    }
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
    return !host.empty();
}

std::vector<PermitEntry> parse_key_list(const std::vector<std::string>& values, bool listen,
                                        bool& bad)
{
    std::vector<PermitEntry> out;
    for (const std::string& value : values) {
        const std::optional<PermitEntry> entry =
            listen ? parse_permit_listen(value) : parse_permit_open(value);
        if (entry) {
            out.push_back(*entry);
        } else {
            bad = true;
        }
    }
    return out;
}

bool open_matches(const std::vector<PermitEntry>& entries, std::string_view host, uint32_t port)
{
    // sshd_config(5) PermitOpen: "*" for host or port; otherwise names are
    // compared as given, without pattern matching or lookups.
    return std::any_of(entries.begin(), entries.end(), [&](const PermitEntry& e) {
        return (e.host == "*" || lower_case(e.host) == lower_case(host)) &&
               (!e.port || *e.port == port);
    });
}

bool listen_matches(const std::vector<PermitEntry>& entries, std::string_view host, uint32_t port)
{
    // sshd_config(5) PermitListen: host patterns; "*" for any port. A
    // request for port 0 (the server picks) needs an entry allowing any
    // port, or port 0 itself.
    return std::any_of(entries.begin(), entries.end(), [&](const PermitEntry& e) {
        return match_simple_pattern(e.host, host) && (!e.port || *e.port == port);
    });
}

}  // namespace

bool match_simple_pattern(std::string_view pattern, std::string_view text)
{
    return wildcard_match(pattern, text);  // the authorized_keys from= matcher
}

std::optional<ForwardScope> parse_forward_scope(std::string_view value)
{
    const std::string v = lower_case(value);
    if (v == "yes" || v == "all") {
        return ForwardScope::all;
    }
    if (v == "no") {
        return ForwardScope::none;
    }
    if (v == "local") {
        return ForwardScope::local;
    }
    if (v == "remote") {
        return ForwardScope::remote;
    }
    return std::nullopt;
}

std::optional<GatewayPorts> parse_gateway_ports(std::string_view value)
{
    const std::string v = lower_case(value);
    if (v == "no") {
        return GatewayPorts::no;
    }
    if (v == "yes") {
        return GatewayPorts::yes;
    }
    if (v == "clientspecified") {
        return GatewayPorts::clientspecified;
    }
    return std::nullopt;
}

std::optional<PermitEntry> parse_permit_open(std::string_view text)
{
    std::string host;
    std::string_view port_text;
    bool ok = false;
    if (!split_host_port(text, host, port_text)) {
        return std::nullopt;
    }
    const std::optional<uint16_t> port = parse_permit_port(port_text, ok);
    if (!ok || (port && *port == 0)) {
        return std::nullopt;
    }
    return PermitEntry{host, port};
}

std::optional<PermitEntry> parse_permit_listen(std::string_view text)
{
    std::string host = "*";  // "port" alone: any listen address
    std::string_view port_text = text;
    if ((text.find(':') != std::string_view::npos || text.starts_with("[")) &&
        !split_host_port(text, host, port_text)) {
        return std::nullopt;
    }
    bool ok = false;
    const std::optional<uint16_t> port = parse_permit_port(port_text, ok);
    if (!ok) {
        return std::nullopt;
    }
    return PermitEntry{host, port};
}

std::optional<PermitList> parse_permit_list(const std::vector<std::string>& args, bool listen)
{
    PermitList out;
    if (args.size() == 1 && lower_case(args[0]) == "any") {
        return out;
    }
    out.any = false;
    if (args.size() == 1 && lower_case(args[0]) == "none") {
        return out;
    }
    for (const std::string& arg : args) {
        const std::optional<PermitEntry> entry =
            listen ? parse_permit_listen(arg) : parse_permit_open(arg);
        if (!entry) {
            return std::nullopt;
        }
        out.entries.push_back(*entry);
    }
    return out;
}

ForwardingPolicy::ForwardingPolicy(const ForwardingSettings& settings, bool key_port_forwarding,
                                   const std::vector<std::string>& key_permit_open,
                                   const std::vector<std::string>& key_permit_listen, uid_t uid)
    : m_settings(settings),
      m_key_allows(key_port_forwarding),
      m_key_open(parse_key_list(key_permit_open, false, m_key_open_bad)),
      m_key_listen(parse_key_list(key_permit_listen, true, m_key_listen_bad)),
      m_uid(uid)
{
}

bool ForwardingPolicy::tcp_allows(ForwardScope wanted) const
{
    return m_settings.tcp == ForwardScope::all || m_settings.tcp == wanted;
}

std::string ForwardingPolicy::check_open(std::string_view host, uint32_t port) const
{
    if (m_settings.disable_forwarding) {
        return "DisableForwarding";
    }
    if (!tcp_allows(ForwardScope::local)) {
        return "AllowTcpForwarding";
    }
    if (!m_key_allows) {
        return "no-port-forwarding key option";
    }
    if (!m_settings.permit_open.any && !open_matches(m_settings.permit_open.entries, host, port)) {
        return "PermitOpen";
    }
    if ((m_key_open_bad || !m_key_open.empty()) && !open_matches(m_key_open, host, port)) {
        return "permitopen key option";
    }
    return {};
}

std::string ForwardingPolicy::check_listen(std::string_view bind_address, uint32_t port) const
{
    if (m_settings.disable_forwarding) {
        return "DisableForwarding";
    }
    if (!tcp_allows(ForwardScope::remote)) {
        return "AllowTcpForwarding";
    }
    if (!m_key_allows) {
        return "no-port-forwarding key option";
    }
    if (port > 65535) {
        return "bad port";
    }
    if (m_uid != 0 && port != 0 && port < 1024) {
        // sshd(8): only root may forward privileged ports.
        return "privileged port";
    }
    if (!m_settings.permit_listen.any &&
        !listen_matches(m_settings.permit_listen.entries, bind_address, port)) {
        return "PermitListen";
    }
    if ((m_key_listen_bad || !m_key_listen.empty()) &&
        !listen_matches(m_key_listen, bind_address, port)) {
        return "permitlisten key option";
    }
    return {};
}

std::string ForwardingPolicy::check_streamlocal_open() const
{
    if (m_settings.disable_forwarding) {
        return "DisableForwarding";
    }
    if (m_settings.stream_local != ForwardScope::all &&
        m_settings.stream_local != ForwardScope::local) {
        return "AllowStreamLocalForwarding";
    }
    if (!m_key_allows) {
        return "no-port-forwarding key option";
    }
    return {};
}

std::string ForwardingPolicy::check_streamlocal_listen() const
{
    if (m_settings.disable_forwarding) {
        return "DisableForwarding";
    }
    if (m_settings.stream_local != ForwardScope::all &&
        m_settings.stream_local != ForwardScope::remote) {
        return "AllowStreamLocalForwarding";
    }
    if (!m_key_allows) {
        return "no-port-forwarding key option";
    }
    return {};
}

BindChoice choose_bind(GatewayPorts gateway_ports, std::string_view requested)
{
    switch (gateway_ports) {
        case GatewayPorts::no:
            // An explicit loopback address is honoured as asked (sshd binds
            // just 127.0.0.1 for it); anything else becomes both loopbacks.
            if (requested == "127.0.0.1" || requested == "::1") {
                return {BindKind::address, std::string(requested)};
            }
            return {BindKind::loopback, {}};
        case GatewayPorts::yes:
            return {BindKind::wildcard, {}};
        case GatewayPorts::clientspecified:
            break;
    }
    if (requested.empty() || requested == "*") {
        return {BindKind::wildcard, {}};
    }
    if (lower_case(requested) == "localhost") {
        return {BindKind::loopback, {}};
    }
    return {BindKind::address, std::string(requested)};
}

}  // namespace burrow::server
