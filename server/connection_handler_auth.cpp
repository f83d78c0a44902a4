// ConnectionHandler's authentication policy: publickey against the
// authorized_keys files (options bound to the verified key), password and
// keyboard-interactive (PAM conversation or the shadow file), with sshd's log
// lines.
#include <cctype>
#include <ctime>

#include "crypto/keys.h"
#include "server/access_lists.h"
#include "server/authorized_keys.h"
#include "server/config_match.h"
#include "server/connection_handler.h"
#include "server/log.h"
#include "server/login_records.h"
#include "server/peer_name.h"
#include "server/proc_title.h"

namespace burrow::server {

namespace {

/// authorized_keys files larger than this are ignored.
constexpr size_t max_authorized_keys_size = 1024 * 1024;

/// "ED25519 SHA256:..." as sshd logs a key.
std::string describe_key(ByteView blob)
{
    const std::unique_ptr<crypto::PublicKey> key = crypto::parse_public_key_blob(blob);
    std::string type = key ? std::string(key->key_type()) : "unknown";
    if (type.starts_with("ssh-")) {
        type = type.substr(4);
    } else if (type.starts_with("ecdsa-")) {
        type = "ecdsa";
    }
    for (char& c : type) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return type + " " + crypto::fingerprint_sha256(blob);
}

/// A view of secret bytes as text, without copying them.
std::string_view as_text(ByteView bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

std::optional<KeyOptions> ConnectionHandler::key_authorized(const UserInfo& user,
                                                            ByteView key_blob) const
{
    for (const std::string& pattern : config().authorized_keys_files) {
        const std::optional<std::string> path = expand_user_path(pattern, user.name, user.home);
        if (!path) {
            log_error("AuthorizedKeysFile \"" + pattern + "\": unknown % token");
            continue;
        }
        if (config().strict_modes) {
            const std::string problem = strict_modes_problem(*path, user);
            if (!problem.empty()) {
                log_info("Authentication refused: " + problem);
                continue;
            }
        }
        const std::optional<std::string> text =
            read_file_as_user(*path, user, max_authorized_keys_size);
        if (!text) {
            log_debug("Could not open authorized keys '" + *path + "'");
            continue;
        }
        const auto skipped = [&](size_t line, std::string_view why) {
            log_info(*path + ":" + std::to_string(line) + ": " + std::string(why));
        };
        for (AuthorizedKey& entry : find_authorized_keys(*text, key_blob, skipped)) {
            const std::string where = *path + ", line " + std::to_string(entry.line);
            const std::string refused =
                refuse_reason(entry.options, m_peer.ip, static_cast<int64_t>(::time(nullptr)),
                              m_host != m_peer.ip ? m_host : std::string());
            if (!refused.empty()) {
                log_info("Authentication refused for " + user.name + " by key options (" + where +
                         "): " + refused);
                continue;
            }
            log_debug("matching key found: file " + where);
            return std::move(entry.options);
        }
    }
    return std::nullopt;
}

bool ConnectionHandler::apply_match(const std::string& user)
{
    if (m_match_user) {
        if (*m_match_user == user) {
            return true;
        }
        // As sshd: the configuration was chosen for the first user name.
        log_info("Disconnecting " + m_auth->user_phrase() + " " + peer_text() +
                 ": Change of username not allowed: " + *m_match_user + " -> " + user +
                 " [preauth]");
        m_conn.disconnect(protocol::DisconnectReason::protocol_error,
                          "Change of username not allowed");
        return false;
    }
    m_match_user = user;
    // UseDNS: the name Match Host, from= and the access lists see.
    m_host = peer_host_name(m_peer.ip, m_base_config.use_dns);
    if (m_source != nullptr) {
        // sshd_config(5) Match: evaluated once the user name is known.
        const ConnectionInfo info{user, m_host, m_peer.ip, m_peer.local_ip, m_peer.local_port};
        try {
            m_matched = resolve_config(*m_options, *m_source, &info);
        } catch (const std::exception& e) {
            log_error(std::string("Match configuration for ") + user + ": " + e.what());
            m_conn.disconnect(protocol::DisconnectReason::by_application, "configuration error");
            return false;
        }
        m_auth.emplace(m_matched->auth, peer_text(), m_peer.ip);
        m_conn.set_max_auth_tries(m_matched->auth.max_auth_tries);
    }
    m_auth->begin(user);
    if (const std::optional<UserInfo>& account = m_auth->account()) {
        // AllowUsers/DenyUsers/AllowGroups/DenyGroups and the login shell:
        // a refused user is treated as an unknown one (every attempt fails).
        AccessRequest who;
        who.user = user;
        who.groups = user_group_names(user).value_or(std::vector<std::string>{});
        who.shell = account->shell;
        who.host = m_host;
        who.address = m_peer.ip;
        who.check_shell = !config().session.chroot_directory.has_value() ||
                          config().session.chroot_directory->empty();
        const std::optional<std::string> refused = access_refusal(config().access, who);
        if (refused) {
            log_info(*refused);
            m_auth->refuse_account();
        }
    }
    m_conn.set_auth_methods(m_auth->offered());
    return true;
}

void ConnectionHandler::on_auth_request(const protocol::AuthRequest& request)
{
    if (!apply_match(request.user)) {
        return;
    }
    if (request.method != "none") {
        m_auth_attempted = true;  // for the listener's PerSourcePenalties
    }
    m_auth->begin(request.user);
    // As sshd: the account being authenticated, "unknown" for no such user.
    set_proc_title((m_auth->account() ? request.user : std::string("unknown")) + " [preauth]");
    if (!m_banner_sent) {
        // sshd_config(5) Banner: sent before authentication, RFC 4252 §5.4.
        m_banner_sent = true;
        if (const std::optional<std::string> text = banner_text(config().banner)) {
            m_conn.send_auth_banner(*text);
        }
    }
    if (request.method == "password") {
        answer_verdict(m_auth->password_attempt("password", as_text(request.password)));
        return;
    }
    if (request.method == "keyboard-interactive" && config().auth.use_pam) {
        start_pam_conversation(request.user);
        return;
    }
    if (request.method == "keyboard-interactive") {
        // Without PAM: one echo-off "Password: " prompt, checked against
        // the shadow file like a password.
        protocol::InfoRequest info;
        info.prompts.push_back(protocol::KbdIntPrompt{"Password: ", false});
        m_conn.send_info_request(info);
        return;
    }
    if (request.method != "publickey") {
        m_conn.answer_auth(false);
        return;
    }
    const std::string key_text = describe_key(request.key_blob);
    const std::optional<UserInfo>& user = m_auth->account();
    if (!user) {
        // Same reply as a known user with an unknown key (no enumeration).
        log_info("Failed publickey for invalid user " + request.user + " from " + peer_text() +
                 " ssh2: " + key_text);
        m_conn.answer_auth(false);
        return;
    }
    // Not running as root, burrowd can only become the user it runs as.
    const bool can_serve = geteuid() == 0 || user->uid == geteuid();
    if (!can_serve) {
        log_info("User " + request.user + " not allowed: burrowd is not running as root");
    }
    const std::optional<KeyOptions> options =
        can_serve ? key_authorized(*user, request.key_blob) : std::nullopt;
    const bool authorized = options.has_value();
    if (authorized && request.signature_verified) {
        m_key_options = *options;  // bound to the key that was verified
    }
    if (!authorized) {
        log_info("Failed publickey for " + request.user + " from " + peer_text() +
                 " ssh2: " + key_text);
    } else if (request.signature_verified) {
        answer_verdict(m_auth->publickey_success(key_text, options->command.has_value()));
        return;
    } else {
        // RFC 4252 §7: a query without signature; the real attempt follows.
        log_debug("Postponed publickey for " + request.user + " from " + peer_text() +
                  " ssh2 [preauth]");
    }
    m_conn.answer_auth(authorized);
}

void ConnectionHandler::start_pam_conversation(const std::string& user)
{
    // Unknown users get a conversation too (PAM prompts and fails as for a
    // wrong password), so the replies do not tell them apart.
    m_pam.reset();  // the previous attempt's thread has finished: join it
    m_pam = std::make_unique<PamConversation>(
        m_socket.get_executor(), pam_service_name, user, m_auth->password_policy(),
        // Both run from the event loop, outside the core's callbacks: the
        // driver must be told that output (and input readiness) changed.
        [this](const protocol::InfoRequest& info) {
            if (!m_closed) {
                m_conn.send_info_request(info);
                m_driver.notify();
            }
        },
        [this](bool ok, const std::string& detail) {
            if (!ok) {
                log_debug("PAM: keyboard-interactive failed: " + detail);
            }
            if (!m_closed) {
                answer_verdict(m_auth->pam_kbdint_result(ok));
                m_driver.notify();
            }
        });
}

void ConnectionHandler::on_info_response(const std::vector<ByteView>& responses)
{
    if (m_pam && m_pam->awaiting_answers()) {
        // RFC 4256 §3.4: the answers to the latest PAM prompts, in order.
        std::vector<std::string_view> answers;
        for (const ByteView response : responses) {
            answers.push_back(as_text(response));
        }
        m_pam->answer(answers);
        return;
    }
    // RFC 4256 §3.4: one response per prompt; we sent exactly one.
    const ByteView password = responses.empty() ? ByteView() : responses.front();
    answer_verdict(m_auth->password_attempt("keyboard-interactive", as_text(password)));
}

void ConnectionHandler::on_auth_abandoned()
{
    // The PAM conversation (if any) is cancelled and its thread joined.
    m_pam.reset();
}

void ConnectionHandler::on_auth_bad_signature(std::string_view user, ByteView key_blob)
{
    // Like any request: the user name must be the one Match and the access
    // lists were applied to (else a refused user could switch names here and
    // come back unrefused).
    if (!apply_match(std::string(user))) {
        return;
    }
    m_auth_attempted = true;
    m_auth->begin(std::string(user));
    log_info("Failed publickey for " + std::string(m_auth->account() ? "" : "invalid user ") +
             std::string(user) + " from " + peer_text() + " ssh2: " + describe_key(key_blob));
}

void ConnectionHandler::answer_verdict(protocol::AuthVerdict verdict)
{
    // The next USERAUTH_FAILURE lists what AuthenticationMethods still needs.
    m_conn.set_auth_methods(m_auth->offered());
    m_conn.answer_auth(verdict);
}

}  // namespace burrow::server
