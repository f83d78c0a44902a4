#include "server/peer_name.h"

#include <netdb.h>
#include <sys/socket.h>

#include <cctype>
#include <cstring>
#include <memory>

namespace burrow::server {

namespace {

struct AddrinfoDeleter {
    void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
using AddrinfoPtr = std::unique_ptr<addrinfo, AddrinfoDeleter>;

/// Parse a numeric address into a sockaddr (no DNS).
AddrinfoPtr numeric(const std::string& address)
{
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* out = nullptr;
    if (getaddrinfo(address.c_str(), nullptr, &hints, &out) != 0) {
        return nullptr;
    }
    return AddrinfoPtr(out);
}

/// Numeric text of one address (to compare forward results).
std::string numeric_text(const sockaddr* sa, socklen_t len)
{
    char host[NI_MAXHOST] = {};
    if (getnameinfo(sa, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) {
        return {};
    }
    return host;
}

}  // namespace

std::string peer_host_name(const std::string& address, bool use_dns)
{
    if (!use_dns) {
        return address;
    }
    const AddrinfoPtr addr = numeric(address);
    if (!addr) {
        return address;
    }
    char name[NI_MAXHOST] = {};
    if (getnameinfo(addr->ai_addr, addr->ai_addrlen, name, sizeof name, nullptr, 0, NI_NAMEREQD) !=
        0) {
        return address;
    }
    const std::string canonical = numeric_text(addr->ai_addr, addr->ai_addrlen);
    // Forward-confirm: the name must resolve back to the same address, or a
    // PTR record could claim any name.
    addrinfo hints{};
    hints.ai_family = addr->ai_family;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* forward = nullptr;
    if (getaddrinfo(name, nullptr, &hints, &forward) != 0) {
        return address;
    }
    const AddrinfoPtr holder(forward);
    for (const addrinfo* ai = forward; ai; ai = ai->ai_next) {
        if (numeric_text(ai->ai_addr, ai->ai_addrlen) == canonical) {
            std::string lowered(name);
            for (char& c : lowered) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            return lowered;  // sshd(8) lower-cases host names
        }
    }
    return address;
}

}  // namespace burrow::server
