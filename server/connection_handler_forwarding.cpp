// ConnectionHandler's port forwarding hooks: PortForwarding and ClientAlive
// start at authentication; global requests (RFC 4254 §4) go to them, and
// no-more-sessions@openssh.com (OpenSSH PROTOCOL §2.2) is noted here.
#include "server/connection_handler.h"
#include "server/log.h"

namespace burrow::server {

void ConnectionHandler::start_forwarding()
{
    m_forwarding =
        std::make_unique<PortForwarding>(m_socket.get_executor(), m_conn, m_driver,
                                         config().forwarding, *m_user, m_key_options, peer_text());
    const ForwardingSettings& settings = config().forwarding;
    m_client_alive = std::make_unique<ClientAlive>(
        m_socket.get_executor(), settings.client_alive_interval, settings.client_alive_count_max,
        [this] {
            if (!m_closed) {
                m_conn.send_keepalive();
                m_driver.notify();
            }
        },
        [this] {
            if (!m_closed) {
                // sshd(8)'s words for ClientAliveCountMax running out.
                log_info("Timeout, client not responding from user " + m_user->name + " " +
                         peer_text());
                m_conn.disconnect(protocol::DisconnectReason::by_application,
                                  "Timeout, client not responding.");
                m_driver.notify();
            }
        });
    m_client_alive->start();
}

bool ConnectionHandler::on_global_request(const protocol::GlobalRequest& request)
{
    if (!m_user) {
        return false;
    }
    if (request.name == "no-more-sessions@openssh.com") {
        m_no_more_sessions = true;
        log_debug("no-more-sessions@openssh.com from " + peer_text());
        return false;  // no reply wanted (PROTOCOL §2.2)
    }
    bool taken = false;
    if (m_forwarding && m_forwarding->on_global_request(request, taken)) {
        return taken;
    }
    log_debug("global request \"" + request.name + "\" refused");
    return false;
}

void ConnectionHandler::on_global_reply(const protocol::GlobalReply& reply)
{
    // Only keepalives are sent by burrowd: any reply shows the client lives.
    if (m_client_alive) {
        m_client_alive->on_reply();
    }
}

}  // namespace burrow::server
