// The one error type for peer misbehaviour. Thrown anywhere inside the
// protocol core, caught at the Connection::feed boundary, which queues an
// SSH_MSG_DISCONNECT with this reason and closes the connection.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace burrow::protocol {

/// RFC 4253 §11.1 disconnect reason codes (RFC 4250 §4.2.2).
enum class DisconnectReason : uint32_t {
    host_not_allowed_to_connect = 1,
    protocol_error = 2,
    key_exchange_failed = 3,
    reserved = 4,
    mac_error = 5,
    compression_error = 6,
    service_not_available = 7,
    protocol_version_not_supported = 8,
    host_key_not_verifiable = 9,
    connection_lost = 10,
    by_application = 11,
    too_many_connections = 12,
    auth_cancelled_by_user = 13,
    no_more_auth_methods_available = 14,
    illegal_user_name = 15,
};

/// Name of a reason code, for log lines ("protocol error", ...).
const char* disconnect_reason_name(DisconnectReason r);

/// Peer misbehaviour: carries the disconnect reason and a precise message.
class ProtocolError : public std::runtime_error {
public:
    ProtocolError(DisconnectReason reason, const std::string& message)
        : std::runtime_error(message), m_reason(reason)
    {
    }
    DisconnectReason reason() const { return m_reason; }

private:
    DisconnectReason m_reason;
};

}  // namespace burrow::protocol
