// SharedSecret handle plumbing and the mpint encoding of K.
#include "crypto/secret.h"

#include <utility>

#include "crypto/secret_impl.h"
#include "crypto/wire_util.h"

namespace burrow::crypto {

SharedSecret::SharedSecret(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SharedSecret::SharedSecret(SharedSecret&&) noexcept = default;
SharedSecret& SharedSecret::operator=(SharedSecret&&) noexcept = default;
SharedSecret::~SharedSecret() = default;

SharedSecret shared_secret_from_unsigned(ByteView big_endian)
{
    // RFC 4251 §5: no unnecessary leading zero bytes; zero is the empty string.
    size_t start = 0;
    while (start < big_endian.size() && big_endian[start] == 0) {
        ++start;
    }
    const ByteView magnitude = big_endian.subspan(start);
    // A set top bit would read as negative, so a 0x00 keeps it positive.
    const bool pad = !magnitude.empty() && (magnitude[0] & 0x80) != 0;

    auto impl = std::make_unique<SharedSecret::Impl>();
    impl->mpint.reserve(4 + magnitude.size() + 1);
    put_u32(impl->mpint, static_cast<uint32_t>(magnitude.size() + (pad ? 1 : 0)));
    if (pad) {
        impl->mpint.push_back(0);
    }
    impl->mpint.insert(impl->mpint.end(), magnitude.begin(), magnitude.end());
    return SharedSecret(std::move(impl));
}

}  // namespace burrow::crypto
