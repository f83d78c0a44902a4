// Serving one accepted connection in the current process, with its own
// event loop (built after fork, never shared with the listener).
#pragma once

#include <vector>

#include "crypto/keys.h"
#include "server/config.h"
#include "server/listener.h"

namespace burrow::server {

/// The configuration a connection starts from: the global settings, and
/// what resolves them again once the user is known (sshd_config Match).
struct ServeContext {
    const ServerConfig& config;
    const Options& options;
    const ConfigSource& source;
};

/// Run the SSH protocol on `accepted` until the connection ends.
/// Returns the process exit code.
int serve_connection(const AcceptedSocket& accepted, const ServeContext& context,
                     const std::vector<const crypto::PrivateKey*>& host_keys);

/// burrowd -i (sshd(8) -i): serve the one connection on stdin/stdout. stdin
/// may be a TCP socket (inetd) or a pipe pair (ssh's ProxyCommand). Both
/// descriptors are moved away and replaced by /dev/null, so nothing else can
/// write into the protocol stream. Returns the process exit code.
int serve_inetd(const ServeContext& context,
                const std::vector<const crypto::PrivateKey*>& host_keys);

}  // namespace burrow::server
