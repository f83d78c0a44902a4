// PAM account and session management (see server/pam_session.h).
#include "server/pam_session.h"

#include <security/pam_appl.h>
#include <string.h>

#include <cstdlib>

#include "server/log.h"

namespace burrow::server {

struct PamSession::State {
    pam_handle_t* handle = nullptr;
    std::string messages;
    bool session_open = false;
    bool credentials = false;
};

namespace {

/// pam_conv(3) callback at session time: informational and error messages
/// are kept for messages() (bounded) and logged at debug level; any prompt
/// fails, since there is nobody to answer it at this point.
int session_conversation(int count, const pam_message** messages, pam_response** out, void* context)
{
    if (count <= 0 || count > PAM_MAX_NUM_MSG || context == nullptr) {
        return PAM_CONV_ERR;
    }
    auto* state = static_cast<PamSession::State*>(context);
    for (int i = 0; i < count; ++i) {
        const pam_message* message = messages[i];
        if (message->msg_style != PAM_TEXT_INFO && message->msg_style != PAM_ERROR_MSG) {
            log_debug("PAM: session module asked a question; refused");
            return PAM_CONV_ERR;
        }
        const std::string text = message->msg != nullptr ? message->msg : "";
        log_debug("PAM: " + text);
        if (state->messages.size() + text.size() + 1 <= max_pam_session_message_bytes) {
            state->messages += text + "\n";
        }
    }
    // Only messages: the caller expects an array of empty responses.
    auto* responses =
        static_cast<pam_response*>(std::calloc(static_cast<size_t>(count), sizeof(pam_response)));
    if (responses == nullptr) {
        return PAM_BUF_ERR;
    }
    *out = responses;
    return PAM_SUCCESS;
}

/// Undo what `state` has set up, in the reverse order, and end PAM.
void tear_down(PamSession::State& state, int status)
{
    if (state.handle == nullptr) {
        return;
    }
    if (state.session_open) {
        const int rc = pam_close_session(state.handle, PAM_SILENT);
        if (rc != PAM_SUCCESS) {
            log_info(std::string("PAM: pam_close_session: ") + pam_strerror(state.handle, rc));
        }
        state.session_open = false;
    }
    if (state.credentials) {
        pam_setcred(state.handle, PAM_DELETE_CRED | PAM_SILENT);
        state.credentials = false;
    }
    pam_end(state.handle, status);
    state.handle = nullptr;
}

}  // namespace

std::unique_ptr<PamSession> PamSession::open(const std::string& user, const std::string& host,
                                             const std::string& tty, std::string& error,
                                             const std::string& service)
{
    auto state = std::make_unique<State>();
    // PAM keeps the pointer to `state`, which stays at its address for the
    // life of the session (owned by the PamSession through a unique_ptr).
    const pam_conv conv{&session_conversation, state.get()};
    int rc = pam_start(service.c_str(), user.c_str(), &conv, &state->handle);
    if (rc != PAM_SUCCESS) {
        error = "pam_start failed: " + std::to_string(rc);
        state->handle = nullptr;
        return nullptr;
    }
    const std::string pam_tty = tty.empty() ? "ssh" : tty;
    rc = pam_set_item(state->handle, PAM_RHOST, host.c_str());
    if (rc == PAM_SUCCESS) {
        rc = pam_set_item(state->handle, PAM_TTY, pam_tty.c_str());
    }
    const char* step = "pam_set_item";
    if (rc == PAM_SUCCESS) {
        step = "pam_acct_mgmt";
        rc = pam_acct_mgmt(state->handle, 0);
    }
    if (rc == PAM_SUCCESS) {
        step = "pam_setcred";
        rc = pam_setcred(state->handle, PAM_ESTABLISH_CRED);
        state->credentials = rc == PAM_SUCCESS;
    }
    if (rc == PAM_SUCCESS) {
        step = "pam_open_session";
        rc = pam_open_session(state->handle, 0);
        state->session_open = rc == PAM_SUCCESS;
    }
    if (rc != PAM_SUCCESS) {
        error = std::string(step) + ": " + pam_strerror(state->handle, rc);
        log_info("PAM: session for " + user + " refused: " + error);
        tear_down(*state, rc);
        return nullptr;
    }
    return std::unique_ptr<PamSession>(new PamSession(std::move(state)));
}

PamSession::PamSession(std::unique_ptr<State> state) : m_state(std::move(state)) {}

void PamSession::close_elsewhere()
{
    m_state->session_open = false;
    m_state->credentials = false;
}

void PamSession::close_for(const std::string& user, const std::string& host,
                           const std::string& service)
{
    State state;
    const pam_conv conv{&session_conversation, &state};
    if (pam_start(service.c_str(), user.c_str(), &conv, &state.handle) != PAM_SUCCESS) {
        log_info("PAM: cannot close the session of " + user + ": pam_start failed");
        return;
    }
    pam_set_item(state.handle, PAM_RHOST, host.c_str());
    pam_set_item(state.handle, PAM_TTY, "ssh");
    state.session_open = true;
    state.credentials = true;
    tear_down(state, PAM_SUCCESS);
}

PamSession::~PamSession()
{
    tear_down(*m_state, PAM_SUCCESS);
}

std::vector<std::string> PamSession::environment() const
{
    std::vector<std::string> out;
    char** list = pam_getenvlist(m_state->handle);
    if (list == nullptr) {
        return out;
    }
    for (char** entry = list; *entry != nullptr; ++entry) {
        out.emplace_back(*entry);
        std::free(*entry);
    }
    std::free(list);
    return out;
}

std::string PamSession::messages() const
{
    return m_state->messages;
}

}  // namespace burrow::server
