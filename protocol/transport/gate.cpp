#include "protocol/transport/gate.h"

#include <string>

#include "protocol/error.h"
#include "protocol/messages/numbers.h"

namespace burrow::protocol::transport {

namespace {

[[noreturn]] void reject(uint8_t type, const char* expected)
{
    throw ProtocolError(DisconnectReason::protocol_error,
                        std::string("unexpected ") + msg::name(type) + " (" + std::to_string(type) +
                            "), expected " + expected);
}

const char* expected_kex_message(const GateState& s)
{
    switch (s.expect) {
        case KeyExchange::Expect::method_init:
            return "SSH_MSG_KEX_ECDH_INIT";
        case KeyExchange::Expect::method_reply:
            return "SSH_MSG_KEX_ECDH_REPLY";
        case KeyExchange::Expect::newkeys:
            return "SSH_MSG_NEWKEYS";
        case KeyExchange::Expect::kexinit:
            return "SSH_MSG_KEXINIT";
    }
    return "key exchange message";
}

bool is_expected_kex_message(uint8_t type, const GateState& s)
{
    switch (s.expect) {
        case KeyExchange::Expect::method_init:
            return type == msg::kex_ecdh_init;
        case KeyExchange::Expect::method_reply:
            return type == msg::kex_ecdh_reply;
        case KeyExchange::Expect::newkeys:
            return type == msg::newkeys;
        case KeyExchange::Expect::kexinit:
            return false;
    }
    return false;
}

GateVerdict during_kex(uint8_t type, const GateState& s)
{
    if (is_expected_kex_message(type, s)) {
        return GateVerdict::deliver;
    }
    // RFC 4253 §7.1: only transport generic messages may interleave. In a
    // strict first kex (PROTOCOL §1.10) not even those.
    const bool generic = type == msg::ignore || type == msg::unimplemented || type == msg::debug;
    if (generic && !s.strict_first_kex) {
        return GateVerdict::deliver;
    }
    reject(type, expected_kex_message(s));
}

GateVerdict auth_layer(uint8_t type, const GateState& s)
{
    const bool server = s.role == Role::server;
    if (server) {
        if (type == msg::userauth_request) {
            // RFC 4252 §5.1: requests after success are ignored.
            return s.authenticated ? GateVerdict::ignore : GateVerdict::deliver;
        }
        if (type >= 60 && !s.authenticated) {
            return GateVerdict::unimplemented;  // method-specific, none offered yet
        }
        reject(type, "SSH_MSG_USERAUTH_REQUEST");
    }
    if (s.authenticated) {
        reject(type, "connection protocol message");
    }
    if (type == msg::userauth_failure || type == msg::userauth_success ||
        type == msg::userauth_banner || type == msg::userauth_pk_ok) {
        return GateVerdict::deliver;
    }
    reject(type, "user authentication reply");
}

}  // namespace

GateVerdict check_inbound(uint8_t type, const GateState& s)
{
    if (type == msg::disconnect) {
        return GateVerdict::deliver;
    }
    if (s.peer_in_kex) {
        return during_kex(type, s);
    }
    if (!s.first_kex_done) {
        // RFC 4253 §7.1: key exchange begins immediately after the versions.
        if (type == msg::kexinit) {
            return GateVerdict::deliver;
        }
        if ((type == msg::ignore || type == msg::debug) && !s.strict_first_kex) {
            return GateVerdict::deliver;
        }
        reject(type, "SSH_MSG_KEXINIT");
    }
    const bool server = s.role == Role::server;
    switch (type) {
        case msg::ignore:
        case msg::unimplemented:
        case msg::debug:
        case msg::kexinit:
            return GateVerdict::deliver;
        case msg::service_request:
            if (!server) {
                reject(type, "SSH_MSG_SERVICE_ACCEPT");
            }
            return GateVerdict::deliver;
        case msg::service_accept:
        case msg::ext_info:
            if (server) {
                reject(type, "SSH_MSG_SERVICE_REQUEST");
            }
            return GateVerdict::deliver;
        default:
            break;
    }
    if (type >= msg::newkeys && type < msg::userauth_request) {
        reject(type, "SSH_MSG_KEXINIT");  // kex messages outside a kex
    }
    if (type >= msg::userauth_request && type < msg::global_request) {
        return auth_layer(type, s);
    }
    if (type >= msg::global_request && type <= 127) {
        if (!s.authenticated) {
            // RFC 4252 §6: the connection protocol starts only after success.
            throw ProtocolError(DisconnectReason::protocol_error,
                                std::string(msg::name(type)) + " (" + std::to_string(type) +
                                    ") received before authentication");
        }
        return GateVerdict::deliver;
    }
    return GateVerdict::unimplemented;
}

}  // namespace burrow::protocol::transport
