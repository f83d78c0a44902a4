#include "protocol/auth/client_auth.h"

#include <algorithm>
#include <exception>

#include "crypto/registry.h"
#include "protocol/auth/signed_data.h"
#include "protocol/error.h"
#include "protocol/messages/numbers.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::auth {

namespace {

constexpr size_t max_banner = 64 * 1024;

std::vector<std::string> split_names(const std::string& text)
{
    std::vector<std::string> names;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) {
            names.push_back(text.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return names;
}

}  // namespace

void ClientAuth::request_service()
{
    if (m_service_requested) {
        return;
    }
    m_service_requested = true;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::service_request);
    w.put_string("ssh-userauth");
    m_outbox.end();
}

void ClientAuth::on_service_accept(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_SERVICE_ACCEPT");
    r.get_u8();
    const std::string service = r.get_text(64);
    if (!m_service_requested || m_service_accepted || service != "ssh-userauth") {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "unexpected SSH_MSG_SERVICE_ACCEPT for " + service);
    }
    m_service_accepted = true;
    m_events.on_auth_ready();
}

void ClientAuth::on_ext_info(ByteView payload)
{
    // RFC 8308 §2.3: parse fully so malformed input is caught. Only
    // server-sig-algs (§3.1) changes what we do: the RSA signature algorithm.
    wire::Reader r(payload, "SSH_MSG_EXT_INFO");
    r.get_u8();
    const uint32_t count = r.get_u32();
    for (uint32_t i = 0; i < count; ++i) {
        const std::string name = r.get_text(256);
        const ByteView value = r.get_string();
        if (name == "server-sig-algs") {
            // RFC 8308 §3.1: the extension value is the comma-separated list itself.
            m_server_sig_algs = split_names(to_string(value));
        }
        m_events.on_debug(
            2, "server extension: " + name + " (" + std::to_string(value.size()) + " bytes)");
    }
    r.expect_end();
}

void ClientAuth::try_none(std::string_view user)
{
    m_user = user;
    m_attempt = Attempt::none;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_request);
    w.put_string(user);
    w.put_string("ssh-connection");
    w.put_string("none");
    m_outbox.end();
}

void ClientAuth::try_publickey(std::string_view user, const crypto::PrivateKey& key)
{
    m_user = user;
    m_key = &key;
    // The first signature algorithm for this key that we allow and, when the
    // server listed server-sig-algs (RFC 8308 §3.1), that it accepts.
    const auto& allowed = m_config.pubkey_algorithms.empty() ? crypto::default_pubkey_algorithms()
                                                             : m_config.pubkey_algorithms;
    m_algorithm.clear();
    for (const auto& alg : crypto::signature_algorithms_for(key.key_type())) {
        const bool ours = std::find(allowed.begin(), allowed.end(), alg) != allowed.end();
        const bool theirs = !m_server_sig_algs ||
                            std::find(m_server_sig_algs->begin(), m_server_sig_algs->end(), alg) !=
                                m_server_sig_algs->end();
        if (ours && theirs) {
            m_algorithm = alg;
            break;
        }
    }
    if (m_algorithm.empty()) {
        // Nothing usable: report a failure without asking the server.
        m_events.on_debug(
            1, "no mutual signature algorithm for key type " + std::string(key.key_type()));
        m_key = nullptr;
        m_events.on_auth_result(AuthResult{false, false, {}});
        return;
    }
    m_attempt = Attempt::pubkey_query;
    send_publickey({}, false);
}

void ClientAuth::send_publickey(ByteView session_id, bool with_signature)
{
    const Bytes& blob = m_key->public_key().blob();
    Bytes signature;
    if (with_signature) {
        const Bytes data =
            publickey_signed_data(session_id, m_user, "ssh-connection", m_algorithm, blob);
        try {
            signature = m_key->sign(m_algorithm, data, *m_config.rng);
        } catch (const std::exception& e) {
            // An agent that refuses, or a key whose passphrase was not given:
            // not a protocol failure, just no signature from this key.
            m_events.on_debug(1, std::string("signing failed: ") + e.what());
            signature.clear();
        }
        if (signature.empty()) {
            // Nothing to send: this key failed locally; the owner moves on.
            m_attempt = Attempt::idle;
            m_key = nullptr;
            m_events.on_auth_result(AuthResult{false, false, {}});
            return;
        }
    }
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_request);
    w.put_string(m_user);
    w.put_string("ssh-connection");
    w.put_string("publickey");
    w.put_bool(with_signature);
    w.put_string(m_algorithm);
    w.put_string(blob);
    if (with_signature) {
        w.put_string(signature);
    }
    m_outbox.end();
}

Bytes& ClientAuth::begin_request(std::string_view user, std::string_view method)
{
    m_user = user;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_request);
    w.put_string(user);
    w.put_string("ssh-connection");
    w.put_string(method);
    return out;
}

void ClientAuth::try_password(std::string_view user, ByteView password)
{
    // RFC 4252 §8: FALSE (no change), then the password; only ever sent encrypted.
    m_attempt = Attempt::password;
    wire::Writer w(begin_request(user, "password"));
    w.put_bool(false);
    w.put_string(password);
    m_outbox.end();
}

void ClientAuth::try_keyboard_interactive(std::string_view user, std::string_view submethods)
{
    m_attempt = Attempt::kbdint;
    m_info_pending = false;
    wire::Writer w(begin_request(user, "keyboard-interactive"));
    w.put_string("");  // language tag, deprecated (RFC 4256 §3.1)
    w.put_string(submethods);
    m_outbox.end();
}

void ClientAuth::on_method_reply(ByteView payload, ByteView session_id)
{
    switch (m_attempt) {
        case Attempt::pubkey_query:
            on_pk_ok(payload, session_id);
            return;
        case Attempt::kbdint:
            on_info_request(payload);
            return;
        case Attempt::password:
            // RFC 4252 §8 PASSWD_CHANGEREQ: we cannot change passwords, so
            // this attempt has failed.
            m_attempt = Attempt::idle;
            m_events.on_debug(1, "server requests a password change; not supported");
            m_events.on_auth_result(AuthResult{false, false, {}});
            return;
        default:
            throw ProtocolError(DisconnectReason::protocol_error,
                                "unexpected method-specific reply (60) in user authentication");
    }
}

void ClientAuth::on_info_request(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_USERAUTH_INFO_REQUEST");
    r.get_u8();
    InfoRequest req;
    req.name = r.get_text(4096);
    req.instruction = r.get_text(16 * 1024);
    r.get_text(256);  // language tag
    const uint32_t count = r.get_u32();
    // Bounded: each prompt costs at least 5 bytes of this (bounded) packet.
    if (count > r.remaining() / 5) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "too many keyboard-interactive prompts");
    }
    for (uint32_t i = 0; i < count; ++i) {
        KbdIntPrompt prompt;
        prompt.text = r.get_text(4096);
        prompt.echo = r.get_bool();
        req.prompts.push_back(std::move(prompt));
    }
    r.expect_end();
    m_prompts = count;
    m_info_pending = true;
    m_events.on_info_request(req);
}

void ClientAuth::answer_info_request(const std::vector<std::string>& responses)
{
    if (m_attempt != Attempt::kbdint || !m_info_pending) {
        return;
    }
    m_info_pending = false;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::userauth_info_response);
    w.put_u32(static_cast<uint32_t>(m_prompts));
    for (size_t i = 0; i < m_prompts; ++i) {
        w.put_string(i < responses.size() ? std::string_view(responses[i]) : std::string_view());
    }
    m_outbox.end();
}

void ClientAuth::on_pk_ok(ByteView payload, ByteView session_id)
{
    wire::Reader r(payload, "SSH_MSG_USERAUTH_PK_OK");
    r.get_u8();
    const std::string algorithm = r.get_text(64);
    const ByteView blob = r.get_string();
    r.expect_end();
    // RFC 4252 §7: PK_OK answers our query, for the key we asked about.
    if (m_attempt != Attempt::pubkey_query || algorithm != m_algorithm ||
        !std::equal(blob.begin(), blob.end(), m_key->public_key().blob().begin(),
                    m_key->public_key().blob().end())) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "SSH_MSG_USERAUTH_PK_OK for a key that was not offered");
    }
    m_attempt = Attempt::pubkey_signed;
    send_publickey(session_id, true);
}

void ClientAuth::on_failure(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_USERAUTH_FAILURE");
    r.get_u8();
    AuthResult result;
    result.methods_can_continue = r.get_name_list();
    result.partial_success = r.get_bool();
    r.expect_end();
    if (m_attempt == Attempt::idle) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "SSH_MSG_USERAUTH_FAILURE without a request");
    }
    m_attempt = Attempt::idle;
    m_key = nullptr;
    m_events.on_auth_result(result);
}

void ClientAuth::on_success(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_USERAUTH_SUCCESS");
    r.get_u8();
    r.expect_end();
    // A server may only declare success for an attempt that was made; a
    // success after a bare query (no signature) would skip proof of the key.
    if (m_attempt == Attempt::idle || m_attempt == Attempt::pubkey_query) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "SSH_MSG_USERAUTH_SUCCESS without a completed authentication");
    }
    m_attempt = Attempt::idle;
    m_authenticated = true;
    if (m_on_success) {
        m_on_success();
    }
    m_events.on_auth_result(AuthResult{true, false, {}});
}

void ClientAuth::on_banner(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_USERAUTH_BANNER");
    r.get_u8();
    const std::string text = r.get_text(max_banner);
    r.get_text(64);  // language tag
    r.expect_end();
    m_events.on_auth_banner(text);
}

}  // namespace burrow::protocol::auth
