// Client side of user authentication (RFC 4252): requests the ssh-userauth
// service after the first kex, then runs the attempts the owner asks for.
// A publickey attempt is a query first; the key signs only after PK_OK (§7).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/keys.h"
#include "protocol/connection.h"
#include "protocol/transport/outbox.h"

namespace burrow::protocol::auth {

class ClientAuth {
public:
    ClientAuth(const Config& config, EventHandler& events, transport::Outbox& outbox)
        : m_config(config), m_events(events), m_outbox(outbox)
    {
    }

    /// First kex done: ask for the ssh-userauth service (RFC 4253 §10).
    void request_service();
    void on_service_accept(ByteView payload);
    void on_ext_info(ByteView payload);

    void try_none(std::string_view user);
    void try_publickey(std::string_view user, const crypto::PrivateKey& key);
    void try_password(std::string_view user, ByteView password);
    void try_keyboard_interactive(std::string_view user, std::string_view submethods);
    void answer_info_request(const std::vector<std::string>& responses);

    void on_failure(ByteView payload);
    void on_success(ByteView payload);
    void on_banner(ByteView payload);
    /// Message 60: PK_OK, PASSWD_CHANGEREQ or INFO_REQUEST, by the attempt running.
    void on_method_reply(ByteView payload, ByteView session_id);

    bool authenticated() const { return m_authenticated; }
    /// Runs the moment authentication succeeds, before the owner hears of
    /// it: delayed compression must start before the owner can send anything.
    void set_on_success(std::function<void()> hook) { m_on_success = std::move(hook); }

private:
    enum class Attempt { none, idle, pubkey_query, pubkey_signed, password, kbdint };

    void on_pk_ok(ByteView payload, ByteView session_id);
    void on_info_request(ByteView payload);
    /// Start a USERAUTH_REQUEST; the caller appends the method fields and ends it.
    Bytes& begin_request(std::string_view user, std::string_view method);

    void send_publickey(ByteView session_id, bool with_signature);

    const Config& m_config;
    EventHandler& m_events;
    transport::Outbox& m_outbox;
    Attempt m_attempt = Attempt::idle;
    std::string m_user;
    std::string m_algorithm;
    const crypto::PrivateKey* m_key = nullptr;
    size_t m_prompts = 0;  ///< keyboard-interactive prompts awaiting answers
    bool m_info_pending = false;
    bool m_service_requested = false;
    bool m_service_accepted = false;
    bool m_authenticated = false;
    std::function<void()> m_on_success;
    /// RFC 8308 §3.1 server-sig-algs, if the server sent it.
    std::optional<std::vector<std::string>> m_server_sig_algs;
};

}  // namespace burrow::protocol::auth
