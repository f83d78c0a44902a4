// The data a publickey signature covers (RFC 4252 §7), built identically by
// the client (to sign) and the server (to verify).
#pragma once

#include <string_view>

#include "crypto/bytes.h"

namespace burrow::protocol::auth {

Bytes publickey_signed_data(ByteView session_id, std::string_view user, std::string_view service,
                            std::string_view algorithm, ByteView key_blob);

}  // namespace burrow::protocol::auth
