#include "protocol/messages/kexinit.h"

#include "protocol/messages/numbers.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::messages {

KexInit KexInit::parse(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_KEXINIT");
    r.get_u8();
    KexInit k;
    const ByteView cookie = r.get_bytes(16);
    std::copy(cookie.begin(), cookie.end(), k.cookie.begin());
    k.kex = r.get_name_list();
    k.host_key = r.get_name_list();
    k.cipher_c2s = r.get_name_list();
    k.cipher_s2c = r.get_name_list();
    k.mac_c2s = r.get_name_list();
    k.mac_s2c = r.get_name_list();
    k.compression_c2s = r.get_name_list();
    k.compression_s2c = r.get_name_list();
    k.language_c2s = r.get_name_list();
    k.language_s2c = r.get_name_list();
    k.first_kex_packet_follows = r.get_bool();
    r.get_u32();  // reserved, RFC 4253 §7.1
    r.expect_end();
    return k;
}

void KexInit::write(Bytes& out) const
{
    wire::Writer w(out);
    w.put_u8(msg::kexinit);
    w.put_bytes(cookie);
    w.put_name_list(kex);
    w.put_name_list(host_key);
    w.put_name_list(cipher_c2s);
    w.put_name_list(cipher_s2c);
    w.put_name_list(mac_c2s);
    w.put_name_list(mac_s2c);
    w.put_name_list(compression_c2s);
    w.put_name_list(compression_s2c);
    w.put_name_list(language_c2s);
    w.put_name_list(language_s2c);
    w.put_bool(first_kex_packet_follows);
    w.put_u32(0);
}

}  // namespace burrow::protocol::messages
