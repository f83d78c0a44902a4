#include "server/connection_outcome.h"

namespace burrow::server {

void notify_listener_authenticated()
{
    // The listener's startup pipe is wired in by server/listener.cpp.
}

}  // namespace burrow::server
