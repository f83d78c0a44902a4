#include "server/connection_outcome.h"

#include <unistd.h>

#include <cerrno>

namespace burrow::server {

namespace {

/// Write end of this connection process's startup pipe, or -1.
int g_startup_pipe = -1;

}  // namespace

void set_startup_pipe(int fd)
{
    g_startup_pipe = fd;
}

void notify_listener_authenticated()
{
    if (g_startup_pipe < 0) {
        return;
    }
    // One byte tells the listener this connection no longer counts against
    // MaxStartups; closing afterwards keeps a second call a no-op.
    const char byte = 0;
    while (write(g_startup_pipe, &byte, 1) < 0 && errno == EINTR) {
    }
    close(g_startup_pipe);
    g_startup_pipe = -1;
}

void drop_startup_pipe()
{
    if (g_startup_pipe >= 0) {
        close(g_startup_pipe);
        g_startup_pipe = -1;
    }
}

}  // namespace burrow::server
