// The type-specific bytes of the port forwarding messages: channel opens
// (direct-tcpip, forwarded-tcpip: RFC 4254 §7.1-7.2; the streamlocal family:
// OpenSSH PROTOCOL §2.4) and global requests (tcpip-forward and its cancel:
// RFC 4254 §7.1; streamlocal-forward@openssh.com and its cancel).
#pragma once

#include <string_view>

#include "crypto/bytes.h"
#include "protocol/events.h"

namespace burrow::protocol::channels {

/// Longest host name or address in a forwarding message (RFC 1035 names
/// are at most 253 bytes; IPv6 text is shorter).
inline constexpr size_t max_forward_host = 1024;
/// Longest Unix socket path (sockaddr_un holds 108 bytes; leave room for
/// peers with longer limits).
inline constexpr size_t max_socket_path = 4096;

/// Fill the typed fields of a channel open from its type-specific bytes.
/// Unknown types are left alone. Throws ProtocolError if malformed.
void parse_open_body(ChannelOpenRequest& open);
/// Fill the typed fields of a global request. Throws ProtocolError if malformed.
void parse_global_body(GlobalRequest& request, ByteView body);

/// host, port, originator address, originator port.
Bytes encode_tcpip_open(std::string_view host, uint32_t port, std::string_view originator_ip,
                        uint32_t originator_port);
/// direct-streamlocal@openssh.com: path, reserved string, reserved uint32.
Bytes encode_direct_streamlocal_open(std::string_view socket_path);
/// forwarded-streamlocal@openssh.com: path, reserved string.
Bytes encode_forwarded_streamlocal_open(std::string_view socket_path);
/// tcpip-forward / cancel-tcpip-forward: bind address, port.
Bytes encode_forward_request(std::string_view bind_address, uint32_t port);
/// streamlocal-forward@openssh.com and its cancel: path.
Bytes encode_streamlocal_request(std::string_view socket_path);

}  // namespace burrow::protocol::channels
