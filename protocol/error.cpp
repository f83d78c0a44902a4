#include "protocol/error.h"

namespace burrow::protocol {

const char* disconnect_reason_name(DisconnectReason r)
{
    switch (r) {
        case DisconnectReason::host_not_allowed_to_connect:
            return "host not allowed to connect";
        case DisconnectReason::protocol_error:
            return "protocol error";
        case DisconnectReason::key_exchange_failed:
            return "key exchange failed";
        case DisconnectReason::reserved:
            return "reserved";
        case DisconnectReason::mac_error:
            return "MAC error";
        case DisconnectReason::compression_error:
            return "compression error";
        case DisconnectReason::service_not_available:
            return "service not available";
        case DisconnectReason::protocol_version_not_supported:
            return "protocol version not supported";
        case DisconnectReason::host_key_not_verifiable:
            return "host key not verifiable";
        case DisconnectReason::connection_lost:
            return "connection lost";
        case DisconnectReason::by_application:
            return "by application";
        case DisconnectReason::too_many_connections:
            return "too many connections";
        case DisconnectReason::auth_cancelled_by_user:
            return "auth cancelled by user";
        case DisconnectReason::no_more_auth_methods_available:
            return "no more auth methods available";
        case DisconnectReason::illegal_user_name:
            return "illegal user name";
    }
    return "unknown reason";
}

}  // namespace burrow::protocol
