// Algorithm negotiation (RFC 4253 §7.1) from the two KEXINIT messages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/messages/kexinit.h"

namespace burrow::protocol::transport {

/// The outcome of negotiation.
struct Negotiated {
    std::string kex;
    std::string host_key;
    std::string cipher_c2s, cipher_s2c;
    std::string mac_c2s, mac_s2c;  ///< empty for AEAD ciphers
    std::string compression_c2s, compression_s2c;
    bool strict_kex = false;           ///< both sides offered kex-strict (first kex only)
    bool peer_wants_ext_info = false;  ///< server: client offered ext-info-c
    /// The peer guessed wrong (first_kex_packet_follows): drop its next kex packet.
    bool ignore_guessed_packet = false;
};

/// RFC 4253 §7.1: the first client algorithm the server also supports.
std::optional<std::string> choose(const std::vector<std::string>& client,
                                  const std::vector<std::string>& server);

/// Negotiate; throws ProtocolError(key_exchange_failed) naming the category
/// when there is no common algorithm.
Negotiated negotiate(const messages::KexInit& client, const messages::KexInit& server,
                     bool is_server, bool first_kex);

/// Pseudo-algorithm names (never chosen as a kex method).
inline constexpr const char* strict_kex_client = "kex-strict-c-v00@openssh.com";
inline constexpr const char* strict_kex_server = "kex-strict-s-v00@openssh.com";
inline constexpr const char* ext_info_client = "ext-info-c";
inline constexpr const char* ext_info_server = "ext-info-s";

}  // namespace burrow::protocol::transport
