#include "protocol/auth/server_auth.h"

#include <algorithm>

#include "crypto/keys.h"
#include "crypto/registry.h"
#include "protocol/auth/signed_data.h"
#include "protocol/error.h"
#include "protocol/messages/numbers.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::auth {

namespace {
/// Longest user name accepted (sshd uses a similar bound).
constexpr size_t max_user_name = 256;
constexpr const char* connection_service = "ssh-connection";
}  // namespace

void ServerAuth::on_service_request(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_SERVICE_REQUEST");
    r.get_u8();
    const std::string service = r.get_text(64);
    r.expect_end();
    // RFC 4253 §10: only ssh-userauth is offered before authentication.
    if (service != "ssh-userauth" || m_service_accepted) {
        throw ProtocolError(DisconnectReason::service_not_available,
                            "service not available: " + service);
    }
    m_service_accepted = true;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::service_accept);
    w.put_string(service);
    m_outbox.end();
}

void ServerAuth::on_request(ByteView payload, ByteView session_id)
{
    if (!m_service_accepted) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "SSH_MSG_USERAUTH_REQUEST before the ssh-userauth service request");
    }
    if (m_pending) {
        // RFC 4252 §5: a new request cancels nothing here; we process
        // strictly in order, and input is paused while one is pending.
        throw ProtocolError(DisconnectReason::protocol_error, "overlapping authentication request");
    }
    wire::Reader r(payload, "SSH_MSG_USERAUTH_REQUEST");
    r.get_u8();
    const std::string user = r.get_text(max_user_name);
    const std::string service = r.get_text(64);
    const std::string method = r.get_text(64);
    if (service != connection_service) {
        throw ProtocolError(DisconnectReason::service_not_available,
                            "authentication for unknown service " + service);
    }
    if (method == "publickey" &&
        std::find(m_config.auth_methods.begin(), m_config.auth_methods.end(), "publickey") !=
            m_config.auth_methods.end()) {
        on_publickey(user, r, session_id);
        return;
    }
    // RFC 4252 §5.2: "none" (and any method we do not offer) fails, listing
    // what may continue. Only real attempts count towards MaxAuthTries.
    if (method != "none") {
        fail_attempt();
        return;
    }
    send_failure();
}

void ServerAuth::on_publickey(const std::string& user, wire::Reader& r, ByteView session_id)
{
    const bool has_signature = r.get_bool();
    const std::string algorithm = r.get_text(64);
    const ByteView blob = r.get_string();
    ByteView signature;
    if (has_signature) {
        signature = r.get_string();
    }
    r.expect_end();
    const auto key = crypto::parse_public_key_blob(blob);
    // RFC 8332 §3 / RFC 4252 §7: the algorithm must belong to the key type,
    // and be one PubkeyAcceptedAlgorithms allows.
    const auto& accepted = m_config.pubkey_algorithms.empty() ? crypto::default_pubkey_algorithms()
                                                              : m_config.pubkey_algorithms;
    const bool allowed = std::find(accepted.begin(), accepted.end(), algorithm) != accepted.end();
    if (!key || !allowed || crypto::key_type_for_signature(algorithm) != key->key_type()) {
        m_events.on_debug(1, "publickey: unsupported or mismatched key algorithm " + algorithm);
        fail_attempt();
        return;
    }
    if (has_signature) {
        const Bytes data =
            publickey_signed_data(session_id, user, connection_service, algorithm, blob);
        if (!key->verify(algorithm, data, signature)) {
            m_events.on_debug(1, "publickey: bad signature for user " + user);
            fail_attempt();
            return;
        }
    }
    m_pending = Pending{user, algorithm, Bytes(blob.begin(), blob.end()), has_signature};
    m_events.on_auth_request(
        AuthRequest{user, "publickey", algorithm, m_pending->key_blob, has_signature});
}

void ServerAuth::answer(bool accept)
{
    if (!m_pending) {
        return;
    }
    const Pending p = std::move(*m_pending);
    m_pending.reset();
    if (!accept) {
        fail_attempt();
        return;
    }
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    if (!p.verified) {
        // RFC 4252 §7: the key is acceptable; the client will now sign.
        w.put_u8(msg::userauth_pk_ok);
        w.put_string(p.algorithm);
        w.put_string(p.key_blob);
        m_outbox.end();
        return;
    }
    w.put_u8(msg::userauth_success);
    m_outbox.end();
    m_authenticated = true;
    m_user = p.user;
    m_events.on_authenticated(m_user, "publickey");
}

void ServerAuth::fail_attempt()
{
    if (++m_failures >= m_config.max_auth_tries) {
        throw ProtocolError(DisconnectReason::no_more_auth_methods_available,
                            "Too many authentication failures");
    }
    send_failure();
}

void ServerAuth::send_failure()
{
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_failure);
    w.put_name_list(m_config.auth_methods);
    w.put_bool(false);
    m_outbox.end();
}

}  // namespace burrow::protocol::auth
