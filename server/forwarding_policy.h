// Port forwarding policy (sshd_config(5) GatewayPorts, AllowTcpForwarding,
// AllowStreamLocalForwarding, PermitOpen, PermitListen, DisableForwarding,
// StreamLocalBind*, ClientAlive*; sshd(8) authorized_keys permitopen=,
// permitlisten=, no-port-forwarding, restrict). Pure decisions, no sockets,
// so every rule is unit-testable.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::server {

/// GatewayPorts: which addresses remote forwards listen on.
enum class GatewayPorts { no, yes, clientspecified };

/// AllowTcpForwarding / AllowStreamLocalForwarding values.
enum class ForwardScope { none, local, remote, all };

/// One PermitOpen / PermitListen / permitopen= / permitlisten= entry.
/// `host` may be "*" (or a pattern for PermitListen), `port` nullopt = "*".
struct PermitEntry {
    std::string host;
    std::optional<uint16_t> port;
    bool operator==(const PermitEntry&) const = default;
};

/// A PermitOpen / PermitListen list: "any" (the default), "none" or entries.
struct PermitList {
    bool any = true;
    std::vector<PermitEntry> entries;  ///< when !any; empty = "none"
    bool operator==(const PermitList&) const = default;
};

/// The forwarding part of the effective configuration (sshd's defaults).
struct ForwardingSettings {
    GatewayPorts gateway_ports = GatewayPorts::no;
    ForwardScope tcp = ForwardScope::all;
    ForwardScope stream_local = ForwardScope::all;
    PermitList permit_open;
    PermitList permit_listen;
    bool disable_forwarding = false;
    mode_t stream_local_bind_mask = 0177;
    bool stream_local_bind_unlink = false;
    /// ClientAliveInterval (zero = off) and ClientAliveCountMax.
    std::chrono::seconds client_alive_interval{0};
    unsigned client_alive_count_max = 3;
};

/// Forwarding keywords as read, before defaults (first value wins).
struct RawForwarding {
    std::optional<GatewayPorts> gateway_ports;
    std::optional<ForwardScope> tcp;
    std::optional<ForwardScope> stream_local;
    std::optional<PermitList> permit_open;
    std::optional<PermitList> permit_listen;
    std::optional<bool> disable_forwarding;
    std::optional<mode_t> stream_local_bind_mask;
    std::optional<bool> stream_local_bind_unlink;
    std::optional<std::chrono::seconds> client_alive_interval;
    std::optional<unsigned> client_alive_count_max;
};

/// Parse "yes" / "all" / "no" / "local" / "remote" (case-insensitive).
std::optional<ForwardScope> parse_forward_scope(std::string_view value);
/// Parse "no" / "yes" / "clientspecified".
std::optional<GatewayPorts> parse_gateway_ports(std::string_view value);
/// Parse one PermitOpen / permitopen= entry "host:port" ("[v6]:port"; host
/// or port may be "*"); nullopt if malformed.
std::optional<PermitEntry> parse_permit_open(std::string_view text);
/// Parse one PermitListen / permitlisten= entry "[host:]port" (port may be
/// "*"; without a host any listen address matches); nullopt if malformed.
std::optional<PermitEntry> parse_permit_listen(std::string_view text);
/// Parse a whole PermitOpen / PermitListen argument list ("any", "none" or
/// entries); nullopt if an entry is malformed.
std::optional<PermitList> parse_permit_list(const std::vector<std::string>& args, bool listen);

/// The per-connection view: configuration and the key's options combined,
/// the most restrictive winning, as sshd(8) does.
class ForwardingPolicy {
public:
    /// `key_port_forwarding` false for no-port-forwarding / restrict;
    /// `key_permit_open` / `key_permit_listen` the key's permitopen= and
    /// permitlisten= values (empty = no restriction).
    ForwardingPolicy(const ForwardingSettings& settings, bool key_port_forwarding,
                     const std::vector<std::string>& key_permit_open,
                     const std::vector<std::string>& key_permit_listen, uid_t uid);

    /// direct-tcpip to host:port (local forward, -L / -D). Empty if allowed,
    /// else why not.
    std::string check_open(std::string_view host, uint32_t port) const;
    /// tcpip-forward on bind_address:port (remote forward, -R).
    std::string check_listen(std::string_view bind_address, uint32_t port) const;
    /// direct-streamlocal@openssh.com.
    std::string check_streamlocal_open() const;
    /// streamlocal-forward@openssh.com.
    std::string check_streamlocal_listen() const;

private:
    bool tcp_allows(ForwardScope wanted) const;

    const ForwardingSettings& m_settings;
    bool m_key_allows;
    // Declared before the lists: their parsing sets these.
    bool m_key_open_bad = false;  ///< an unparsable permitopen= allows nothing
    bool m_key_listen_bad = false;
    std::vector<PermitEntry> m_key_open;    ///< empty = no key restriction
    std::vector<PermitEntry> m_key_listen;  ///< empty = no key restriction
    uid_t m_uid;
};

/// What a remote forward really listens on (sshd_config(5) GatewayPorts).
enum class BindKind { loopback, wildcard, address };
struct BindChoice {
    BindKind kind = BindKind::loopback;
    std::string address;  ///< BindKind::address
};
/// GatewayPorts no: loopback whatever was asked (an explicit "127.0.0.1" or
/// "::1" just that address, as sshd does); yes: all addresses whatever
/// was asked; clientspecified: "" and "*" all addresses, "localhost"
/// loopback, anything else that address.
BindChoice choose_bind(GatewayPorts gateway_ports, std::string_view requested);

/// Shell-style pattern with `*` and `?` (ssh_config(5) PATTERNS), case-insensitive.
bool match_simple_pattern(std::string_view pattern, std::string_view text);

}  // namespace burrow::server
