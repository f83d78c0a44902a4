// The one place that maps SSH algorithm names to implementations.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/kex_method.h"

namespace burrow::crypto {

/// Supported key-exchange names, in default preference order.
const std::vector<std::string>& supported_kex();
/// Supported ciphers, in default preference order.
const std::vector<std::string>& supported_ciphers();
/// Supported MACs (for non-AEAD ciphers), in default preference order.
const std::vector<std::string>& supported_macs();
/// Supported host key / public key signature algorithms, default order.
const std::vector<std::string>& supported_signature_algorithms();

/// A fresh instance of a kex method; nullptr if unknown.
std::unique_ptr<KexMethod> make_kex(std::string_view name);

}  // namespace burrow::crypto
