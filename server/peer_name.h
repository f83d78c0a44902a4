// sshd_config(5) UseDNS: the remote host name used for Match Host,
// "user@host" access-list entries and logs.
#pragma once

#include <string>

namespace burrow::server {

/// The name to use for the peer at `address` (numeric IPv4/IPv6 text).
/// With `use_dns`: the reverse (PTR) name, but only if a forward lookup of
/// that name gives `address` back (sshd(8) "reverse mapping checking");
/// otherwise, or without `use_dns`, the address text itself.
std::string peer_host_name(const std::string& address, bool use_dns);

}  // namespace burrow::server
