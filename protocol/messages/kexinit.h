// SSH_MSG_KEXINIT (RFC 4253 §7.1).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "crypto/bytes.h"

namespace burrow::protocol::messages {

struct KexInit {
    std::array<uint8_t, 16> cookie{};
    std::vector<std::string> kex;
    std::vector<std::string> host_key;
    std::vector<std::string> cipher_c2s;
    std::vector<std::string> cipher_s2c;
    std::vector<std::string> mac_c2s;
    std::vector<std::string> mac_s2c;
    std::vector<std::string> compression_c2s;
    std::vector<std::string> compression_s2c;
    std::vector<std::string> language_c2s;
    std::vector<std::string> language_s2c;
    bool first_kex_packet_follows = false;

    /// Parse a whole payload (message number included).
    static KexInit parse(ByteView payload);
    /// Append the payload (message number included).
    void write(Bytes& out) const;
};

}  // namespace burrow::protocol::messages
