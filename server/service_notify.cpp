#include "server/service_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "server/log.h"

namespace burrow::server {

bool service_notify(std::string_view state)
{
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (path == nullptr || path[0] == '\0') {
        return true;
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const size_t length = std::strlen(path);
    // sd_notify(3): only absolute paths and abstract ('@') names are valid.
    if ((path[0] != '/' && path[0] != '@') || length >= sizeof addr.sun_path) {
        log_error(std::string("NOTIFY_SOCKET \"") + path + "\" is not usable");
        return false;
    }
    std::memcpy(addr.sun_path, path, length);
    if (path[0] == '@') {
        addr.sun_path[0] = '\0';  // abstract namespace: no terminating NUL
    }
    const auto addr_length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length +
                                                    (path[0] == '@' ? 0 : 1));
    const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    const ssize_t sent = sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&addr), addr_length);
    close(fd);
    if (sent != static_cast<ssize_t>(state.size())) {
        log_error("cannot notify the service manager (" + std::string(state) + ")");
        return false;
    }
    return true;
}

}  // namespace burrow::server
