// Small helpers shared by the key exchange files.
#pragma once

#include <string>
#include <vector>

namespace burrow::protocol::transport {

/// The configured list, or the defaults when none is configured.
std::vector<std::string> or_default(const std::vector<std::string>& configured,
                                    const std::vector<std::string>& defaults);

/// Throw ProtocolError(key_exchange_failed, why).
[[noreturn]] void kex_failed(const std::string& why);

}  // namespace burrow::protocol::transport
