#include "protocol/transport/gate.h"

#include <optional>
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

/// The one message number the running kex accepts next, and its name.
struct KexExpectation {
    uint8_t type;
    const char* name;
};

std::optional<KexExpectation> expected_kex(const GateState& s)
{
    using E = KeyExchange::Expect;
    switch (s.expect) {
        case E::method_init:
            return KexExpectation{msg::kex_ecdh_init, "SSH_MSG_KEX_ECDH_INIT"};
        case E::method_reply:
            return KexExpectation{msg::kex_ecdh_reply, "SSH_MSG_KEX_ECDH_REPLY"};
        case E::gex_request:
            return KexExpectation{msg::kex_dh_gex_request, "SSH_MSG_KEX_DH_GEX_REQUEST"};
        case E::gex_group:
            return KexExpectation{msg::kex_dh_gex_group, "SSH_MSG_KEX_DH_GEX_GROUP"};
        case E::gex_init:
            return KexExpectation{msg::kex_dh_gex_init, "SSH_MSG_KEX_DH_GEX_INIT"};
        case E::gex_reply:
            return KexExpectation{msg::kex_dh_gex_reply, "SSH_MSG_KEX_DH_GEX_REPLY"};
        case E::newkeys:
            return KexExpectation{msg::newkeys, "SSH_MSG_NEWKEYS"};
        case E::kexinit:
            return std::nullopt;
    }
    return std::nullopt;
}

GateVerdict during_kex(uint8_t type, const GateState& s)
{
    const auto expected = expected_kex(s);
    if (expected && expected->type == type) {
        return GateVerdict::deliver;
    }
    // RFC 4253 §7.1: only transport generic messages may interleave. In a
    // strict first kex (PROTOCOL §1.10) not even those.
    const bool generic = type == msg::ignore || type == msg::unimplemented || type == msg::debug;
    if (generic && !s.strict_first_kex) {
        return GateVerdict::deliver;
    }
    reject(type, expected ? expected->name : "key exchange message");
}

GateVerdict auth_layer(uint8_t type, const GateState& s)
{
    const bool server = s.role == Role::server;
    if (server) {
        if (type == msg::userauth_request) {
            // RFC 4252 §5.1: requests after success are ignored.
            return s.authenticated ? GateVerdict::ignore : GateVerdict::deliver;
        }
        if (type == msg::userauth_info_response && !s.authenticated) {
            return GateVerdict::deliver;  // RFC 4256 §3.4; ServerAuth checks it was asked for
        }
        if (type >= 60 && !s.authenticated) {
            return GateVerdict::unimplemented;  // other method-specific numbers
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
