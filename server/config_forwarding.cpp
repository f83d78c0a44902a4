// sshd_config(5) forwarding keywords: GatewayPorts, AllowTcpForwarding,
// AllowStreamLocalForwarding, PermitOpen, PermitListen, DisableForwarding,
// StreamLocalBindMask, StreamLocalBindUnlink, ClientAliveInterval,
// ClientAliveCountMax.
#include <charconv>

#include "server/config.h"
#include "server/config_checks.h"

namespace burrow::server {

namespace {

template <typename T>
void set_once(std::optional<T>& slot, std::optional<T> value, const std::string& keyword,
              const std::string& arg, std::string_view where)
{
    if (!value) {
        config_fail(where, "bad " + keyword + " value \"" + arg + "\"");
    }
    if (!slot) {
        slot = std::move(value);
    }
}

std::optional<unsigned> parse_unsigned(std::string_view text, unsigned base, unsigned max)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > max) {
        return std::nullopt;
    }
    return value;
}

/// An upper bound on ClientAliveCountMax (sshd accepts any int).
constexpr unsigned max_client_alive_count = 1000000;

}  // namespace

bool ConfigParser::apply_forwarding_keyword(const std::string& key, const std::string& keyword,
                                            const std::vector<std::string>& args,
                                            std::string_view where)
{
    RawForwarding& f = m_raw.forwarding;
    if (key == "permitopen" || key == "permitlisten") {
        // One line holds the whole list; the first line wins.
        require_args(args, 1, 4096, keyword, where);
        std::optional<PermitList>& slot = key == "permitopen" ? f.permit_open : f.permit_listen;
        std::string joined;
        for (const std::string& a : args) {
            joined += (joined.empty() ? "" : " ") + a;
        }
        set_once(slot, parse_permit_list(args, key == "permitlisten"), keyword, joined, where);
        return true;
    }
    if (key != "gatewayports" && key != "allowtcpforwarding" &&
        key != "allowstreamlocalforwarding" && key != "disableforwarding" &&
        key != "streamlocalbindmask" && key != "streamlocalbindunlink" &&
        key != "clientaliveinterval" && key != "clientalivecountmax") {
        return false;
    }
    require_args(args, 1, 1, keyword, where);
    const std::string& arg = args[0];
    if (key == "gatewayports") {
        set_once(f.gateway_ports, parse_gateway_ports(arg), keyword, arg, where);
    } else if (key == "allowtcpforwarding") {
        set_once(f.tcp, parse_forward_scope(arg), keyword, arg, where);
    } else if (key == "allowstreamlocalforwarding") {
        set_once(f.stream_local, parse_forward_scope(arg), keyword, arg, where);
    } else if (key == "disableforwarding") {
        set_once(f.disable_forwarding, parse_yes_no(arg), keyword, arg, where);
    } else if (key == "streamlocalbindunlink") {
        set_once(f.stream_local_bind_unlink, parse_yes_no(arg), keyword, arg, where);
    } else if (key == "streamlocalbindmask") {
        // An octal umask, as umask(1) takes it.
        const std::optional<unsigned> mask = parse_unsigned(arg, 8, 0777);
        set_once(f.stream_local_bind_mask,
                 mask ? std::optional<mode_t>(static_cast<mode_t>(*mask)) : std::nullopt, keyword,
                 arg, where);
    } else if (key == "clientaliveinterval") {
        set_once(f.client_alive_interval, parse_time_interval(arg), keyword, arg, where);
    } else {
        set_once(f.client_alive_count_max, parse_unsigned(arg, 10, max_client_alive_count), keyword,
                 arg, where);
    }
    return true;
}

void resolve_forwarding(const RawConfig& raw, ServerConfig& out)
{
    const RawForwarding& f = raw.forwarding;
    ForwardingSettings& s = out.forwarding;
    const ForwardingSettings defaults;
    s.gateway_ports = f.gateway_ports.value_or(defaults.gateway_ports);
    s.tcp = f.tcp.value_or(defaults.tcp);
    s.stream_local = f.stream_local.value_or(defaults.stream_local);
    s.permit_open = f.permit_open.value_or(defaults.permit_open);
    s.permit_listen = f.permit_listen.value_or(defaults.permit_listen);
    s.disable_forwarding = f.disable_forwarding.value_or(false);
    s.stream_local_bind_mask = f.stream_local_bind_mask.value_or(defaults.stream_local_bind_mask);
    s.stream_local_bind_unlink = f.stream_local_bind_unlink.value_or(false);
    s.client_alive_interval = f.client_alive_interval.value_or(defaults.client_alive_interval);
    s.client_alive_count_max = f.client_alive_count_max.value_or(defaults.client_alive_count_max);
}

}  // namespace burrow::server
