// systemd readiness without libsystemd (sd_notify(3) protocol): when
// NOTIFY_SOCKET is set, state lines are sent as one datagram to that
// AF_UNIX socket (a leading '@' names an abstract socket).
#pragma once

#include <string_view>

namespace burrow::server {

/// Sends `state` ("READY=1", "RELOADING=1", "STOPPING=1", ...) if
/// NOTIFY_SOCKET is set; returns false if it is set but sending failed.
bool service_notify(std::string_view state);

}  // namespace burrow::server
