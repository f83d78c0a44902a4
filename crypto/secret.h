// Opaque handle for the key-exchange shared secret K (RFC 4253 §7.2).
// The bytes live in a zeroising buffer inside crypto/; protocol/ can only pass
// the handle back to crypto/ (exchange hash, key derivation), never read it.
#pragma once

#include <memory>

namespace burrow::crypto {

/// The shared secret K, stored already encoded as an SSH mpint (RFC 4251 §5),
/// which is the form both the exchange hash and the KDF consume.
class SharedSecret {
public:
    struct Impl;
    explicit SharedSecret(std::unique_ptr<Impl> impl);
    SharedSecret(SharedSecret&&) noexcept;
    SharedSecret& operator=(SharedSecret&&) noexcept;
    ~SharedSecret();

    const Impl& impl() const { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace burrow::crypto
