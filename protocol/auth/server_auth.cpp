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
    if (m_pending && m_awaiting_client) {
        // RFC 4256 §3.2: a client may abandon keyboard-interactive by
        // sending a new request instead of the responses. The abandoned
        // exchange counts as a failed attempt (no FAILURE is sent for it).
        m_pending.reset();
        m_awaiting_client = false;
        m_events.on_auth_abandoned();
        if (++m_failures >= m_max_tries) {
            throw ProtocolError(DisconnectReason::no_more_auth_methods_available,
                                "Too many authentication failures");
        }
    }
    if (m_pending) {
        // RFC 4252 §5: requests are processed strictly in order, and input
        // is paused while the owner decides one.
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
    if (method != "none" && !offered(method)) {
        fail_attempt();  // RFC 4252 §5.1: a method not (or no longer) offered fails
        return;
    }
    if (method == "publickey") {
        on_publickey(user, r, session_id);
        return;
    }
    if (method == "password") {
        on_password(user, r);
        return;
    }
    if (method == "keyboard-interactive") {
        on_keyboard_interactive(user, r);
        return;
    }
    // RFC 4252 §5.2: "none" (and any method we do not offer) fails, listing
    // what may continue. Only real attempts count towards MaxAuthTries.
    if (method != "none") {
        fail_attempt();
        return;
    }
    send_failure(false);
}

bool ServerAuth::offered(const std::string& method) const
{
    return std::find(m_methods.begin(), m_methods.end(), method) != m_methods.end();
}

void ServerAuth::on_password(const std::string& user, wire::Reader& r)
{
    // RFC 4252 §8: boolean FALSE, then the password; TRUE adds a new password
    // (a change request), which we do not support: that attempt fails.
    const bool change = r.get_bool();
    const ByteView password = r.get_string();
    if (change) {
        r.get_string();
        r.expect_end();
        fail_attempt();
        return;
    }
    r.expect_end();
    m_pending = Pending{user, "password", {}, {}, false};
    AuthRequest req;
    req.user = user;
    req.method = "password";
    req.password = password;
    m_events.on_auth_request(req);
}

void ServerAuth::on_keyboard_interactive(const std::string& user, wire::Reader& r)
{
    r.get_text(256);  // language tag, deprecated (RFC 4256 §3.1)
    const std::string submethods = r.get_text(1024);
    r.expect_end();
    m_pending = Pending{user, "keyboard-interactive", {}, {}, false};
    m_awaiting_client = false;
    AuthRequest req;
    req.user = user;
    req.method = "keyboard-interactive";
    req.submethods = submethods;
    m_events.on_auth_request(req);
}

void ServerAuth::send_info_request(const InfoRequest& request)
{
    if (!m_pending || m_pending->method != "keyboard-interactive") {
        return;
    }
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_info_request);
    w.put_string(request.name);
    w.put_string(request.instruction);
    w.put_string("");
    w.put_u32(static_cast<uint32_t>(request.prompts.size()));
    for (const auto& prompt : request.prompts) {
        w.put_string(prompt.text);
        w.put_bool(prompt.echo);
    }
    m_outbox.end();
    m_awaiting_client = true;
    m_prompts_sent = request.prompts.size();
}

void ServerAuth::on_info_response(ByteView payload)
{
    // RFC 4256 §3.4: only as the answer to our INFO_REQUEST, one per prompt.
    if (!m_pending || !m_awaiting_client) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "SSH_MSG_USERAUTH_INFO_RESPONSE without a request");
    }
    wire::Reader r(payload, "SSH_MSG_USERAUTH_INFO_RESPONSE");
    r.get_u8();
    const uint32_t count = r.get_u32();
    if (count != m_prompts_sent) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "keyboard-interactive response count does not match the prompts");
    }
    std::vector<ByteView> responses;
    for (uint32_t i = 0; i < count; ++i) {
        responses.push_back(r.get_string());
    }
    r.expect_end();
    m_awaiting_client = false;
    m_events.on_info_response(responses);
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
            m_events.on_auth_bad_signature(user, blob);
            fail_attempt();
            return;
        }
    }
    m_pending =
        Pending{user, "publickey", algorithm, Bytes(blob.begin(), blob.end()), has_signature};
    AuthRequest req;
    req.user = user;
    req.method = "publickey";
    req.algorithm = algorithm;
    req.key_blob = m_pending->key_blob;
    req.signature_verified = has_signature;
    m_events.on_auth_request(req);
}

void ServerAuth::answer(AuthVerdict verdict)
{
    if (!m_pending || m_awaiting_client) {
        return;
    }
    const Pending p = std::move(*m_pending);
    m_pending.reset();
    if (verdict == AuthVerdict::reject) {
        fail_attempt();
        return;
    }
    if (p.method == "publickey" && !p.verified) {
        // RFC 4252 §7: the key is acceptable; the client will now sign.
        Bytes& out = m_outbox.begin();
        wire::Writer w(out);
        w.put_u8(msg::userauth_pk_ok);
        w.put_string(p.algorithm);
        w.put_string(p.key_blob);
        m_outbox.end();
        return;
    }
    if (verdict == AuthVerdict::partial) {
        // RFC 4252 §5.1: this method worked, more are required.
        send_failure(true);
        return;
    }
    succeed(p);
}

void ServerAuth::succeed(const Pending& p)
{
    Bytes& out = m_outbox.begin();
    out.push_back(msg::userauth_success);
    m_outbox.end();
    m_authenticated = true;
    m_user = p.user;
    if (m_on_success) {
        m_on_success();
    }
    m_events.on_authenticated(m_user, p.method);
}

void ServerAuth::send_banner(std::string_view text)
{
    if (m_authenticated) {
        return;  // RFC 4252 §5.4: only before authentication completes
    }
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_banner);
    w.put_string(text);
    w.put_string("");
    m_outbox.end();
}

void ServerAuth::fail_attempt()
{
    if (++m_failures >= m_max_tries) {
        throw ProtocolError(DisconnectReason::no_more_auth_methods_available,
                            "Too many authentication failures");
    }
    send_failure(false);
}

void ServerAuth::send_failure(bool partial)
{
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_failure);
    w.put_name_list(m_methods);
    w.put_bool(partial);
    m_outbox.end();
}

}  // namespace burrow::protocol::auth
