// The two ends of a client's TCP connection, as burrowd logs them and as
// sessions see them in SSH_CLIENT / SSH_CONNECTION.
#pragma once

#include <cstdint>
#include <string>

namespace burrow::server {

struct PeerInfo {
    std::string ip;
    uint16_t port = 0;
    std::string local_ip;
    uint16_t local_port = 0;
};

}  // namespace burrow::server
