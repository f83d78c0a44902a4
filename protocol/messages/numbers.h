// SSH message numbers (RFC 4250 §4.1) and their names for log lines.
#pragma once

#include <cstdint>

namespace burrow::protocol::msg {

enum : uint8_t {
    disconnect = 1,
    ignore = 2,
    unimplemented = 3,
    debug = 4,
    service_request = 5,
    service_accept = 6,
    ext_info = 7,  // RFC 8308 §2.3
    kexinit = 20,
    newkeys = 21,
    kex_ecdh_init = 30,   // RFC 5656 §4 (also curve25519, RFC 8731)
    kex_ecdh_reply = 31,  // also KEXDH_REPLY (RFC 4253 §8) and KEX_DH_GEX_GROUP (RFC 4419)
    kex_dh_gex_group = 31,
    kex_dh_gex_init = 32,  // RFC 4419 §5
    kex_dh_gex_reply = 33,
    kex_dh_gex_request = 34,
    userauth_request = 50,
    userauth_failure = 51,
    userauth_success = 52,
    userauth_banner = 53,
    userauth_pk_ok = 60,             // RFC 4252 §7 (publickey)
    userauth_passwd_changereq = 60,  // RFC 4252 §8 (password)
    userauth_info_request = 60,      // RFC 4256 §3.2 (keyboard-interactive)
    userauth_info_response = 61,     // RFC 4256 §3.4
    global_request = 80,
    request_success = 81,
    request_failure = 82,
    channel_open = 90,
    channel_open_confirmation = 91,
    channel_open_failure = 92,
    channel_window_adjust = 93,
    channel_data = 94,
    channel_extended_data = 95,
    channel_eof = 96,
    channel_close = 97,
    channel_request = 98,
    channel_success = 99,
    channel_failure = 100,
};

/// "SSH_MSG_KEXINIT" etc., or "message N" for unknown numbers.
const char* name(uint8_t number);

}  // namespace burrow::protocol::msg
