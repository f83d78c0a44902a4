#include "protocol/messages/numbers.h"

namespace burrow::protocol::msg {

const char* name(uint8_t number)
{
    switch (number) {
        case disconnect:
            return "SSH_MSG_DISCONNECT";
        case ignore:
            return "SSH_MSG_IGNORE";
        case unimplemented:
            return "SSH_MSG_UNIMPLEMENTED";
        case debug:
            return "SSH_MSG_DEBUG";
        case service_request:
            return "SSH_MSG_SERVICE_REQUEST";
        case service_accept:
            return "SSH_MSG_SERVICE_ACCEPT";
        case ext_info:
            return "SSH_MSG_EXT_INFO";
        case kexinit:
            return "SSH_MSG_KEXINIT";
        case newkeys:
            return "SSH_MSG_NEWKEYS";
        case kex_ecdh_init:
            return "SSH_MSG_KEX_ECDH_INIT";
        case kex_ecdh_reply:
            return "SSH_MSG_KEX_ECDH_REPLY";
        case userauth_request:
            return "SSH_MSG_USERAUTH_REQUEST";
        case userauth_failure:
            return "SSH_MSG_USERAUTH_FAILURE";
        case userauth_success:
            return "SSH_MSG_USERAUTH_SUCCESS";
        case userauth_banner:
            return "SSH_MSG_USERAUTH_BANNER";
        case userauth_pk_ok:
            return "SSH_MSG_USERAUTH_PK_OK";
        case global_request:
            return "SSH_MSG_GLOBAL_REQUEST";
        case request_success:
            return "SSH_MSG_REQUEST_SUCCESS";
        case request_failure:
            return "SSH_MSG_REQUEST_FAILURE";
        case channel_open:
            return "SSH_MSG_CHANNEL_OPEN";
        case channel_open_confirmation:
            return "SSH_MSG_CHANNEL_OPEN_CONFIRMATION";
        case channel_open_failure:
            return "SSH_MSG_CHANNEL_OPEN_FAILURE";
        case channel_window_adjust:
            return "SSH_MSG_CHANNEL_WINDOW_ADJUST";
        case channel_data:
            return "SSH_MSG_CHANNEL_DATA";
        case channel_extended_data:
            return "SSH_MSG_CHANNEL_EXTENDED_DATA";
        case channel_eof:
            return "SSH_MSG_CHANNEL_EOF";
        case channel_close:
            return "SSH_MSG_CHANNEL_CLOSE";
        case channel_request:
            return "SSH_MSG_CHANNEL_REQUEST";
        case channel_success:
            return "SSH_MSG_CHANNEL_SUCCESS";
        case channel_failure:
            return "SSH_MSG_CHANNEL_FAILURE";
        default:
            return "unknown message";
    }
}

}  // namespace burrow::protocol::msg
