// Serving one accepted connection in the current process, with its own
// event loop (built after fork, never shared with the listener).
#pragma once

#include <vector>

#include "crypto/keys.h"
#include "server/config.h"
#include "server/listener.h"

namespace burrow::server {

/// Run the SSH protocol on `accepted` until the connection ends.
/// Returns the process exit code.
int serve_connection(const AcceptedSocket& accepted, const ServerConfig& config,
                     const std::vector<const crypto::PrivateKey*>& host_keys);

}  // namespace burrow::server
