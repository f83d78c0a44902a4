#include "protocol/auth/signed_data.h"

#include "protocol/messages/numbers.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::auth {

Bytes publickey_signed_data(ByteView session_id, std::string_view user, std::string_view service,
                            std::string_view algorithm, ByteView key_blob)
{
    Bytes data;
    wire::Writer w(data);
    w.put_string(session_id);
    w.put_u8(msg::userauth_request);
    w.put_string(user);
    w.put_string(service);
    w.put_string("publickey");
    w.put_bool(true);
    w.put_string(algorithm);
    w.put_string(key_blob);
    return data;
}

}  // namespace burrow::protocol::auth
