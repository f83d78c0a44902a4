// The session's port forwarding glue (issue E): global request replies go
// to the ForwardManager, and ssh(1) -f.
#include "client/forward_fork.h"
#include "client/session.h"

namespace burrow::client {

void Session::fork_now()
{
    std::string error;
    if (!fork_to_background(m_executor, error)) {
        m_log.error(error);
        finish(exit_failure);
    }
}

void Session::on_forwards_ready()
{
    // ssh(1) -f with ExitOnForwardFailure: background once the forwards are up.
    if (m_settings.fork_after_auth && m_settings.exit_on_forward_failure && !m_finished) {
        fork_now();
    }
}

void Session::on_global_reply(const protocol::GlobalReply& reply)
{
    m_forwards.on_global_reply(reply);
}

}  // namespace burrow::client
