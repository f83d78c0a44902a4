// The one gate: every inbound message passes here before dispatch, and the
// cross-cutting rules live nowhere else — what may arrive during a key
// exchange (RFC 4253 §7.1) and in strict kex (PROTOCOL §1.10), which
// messages each role may receive, and nothing of the connection protocol
// before authentication (RFC 4252 §6).
#pragma once

#include <cstdint>

#include "protocol/connection.h"
#include "protocol/transport/key_exchange.h"

namespace burrow::protocol::transport {

/// What the connection knows when a message arrives.
struct GateState {
    Role role = Role::client;
    bool peer_in_kex = false;
    KeyExchange::Expect expect = KeyExchange::Expect::kexinit;
    bool strict_first_kex = false;  ///< strict kex agreed and first kex not done
    bool first_kex_done = false;
    bool authenticated = false;
};

enum class GateVerdict {
    deliver,        ///< hand to the layer that owns the number
    ignore,         ///< drop silently (e.g. auth requests after success, RFC 4252 §5.1)
    unimplemented,  ///< answer SSH_MSG_UNIMPLEMENTED (RFC 4253 §11.4)
};

/// Judge one message; throws ProtocolError("got X, expected Y") when the
/// message is not allowed at all in the current state.
GateVerdict check_inbound(uint8_t type, const GateState& state);

}  // namespace burrow::protocol::transport
