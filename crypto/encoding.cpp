// Base64, HMAC-SHA1 and constant-time comparison helpers.
#include <botan/base64.h>
#include <botan/exceptn.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>

#include "crypto/key_files.h"

namespace burrow::crypto {

std::string base64_encode(ByteView data)
{
    return Botan::base64_encode(data.data(), data.size());
}

std::optional<Bytes> base64_decode(std::string_view text)
{
    // Strict: whitespace or any other non-alphabet character is an error.
    Bytes out(Botan::base64_decode_max_output(text.size()));
    try {
        const size_t n = Botan::base64_decode(out.data(), text.data(), text.size(), false);
        out.resize(n);
    } catch (const Botan::Exception&) {
        return std::nullopt;
    }
    return out;
}

Bytes hmac_sha1(ByteView key, ByteView data)
{
    const auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-1)");
    mac->set_key(key.data(), key.size());
    mac->update(data.data(), data.size());
    Bytes out(mac->output_length());
    mac->final(out.data());
    return out;
}

bool constant_time_equal(ByteView a, ByteView b)
{
    // Lengths are public; only the contents are compared in constant time.
    if (a.size() != b.size()) {
        return false;
    }
    return Botan::constant_time_compare(a.data(), b.data(), a.size());
}

}  // namespace burrow::crypto
