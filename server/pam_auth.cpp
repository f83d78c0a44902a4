// PAM password verification (UsePAM yes). The conversation answers every
// echo-off prompt with the password the client sent; burrowd installs
// /etc/pam.d/burrowd (server/pam.d/burrowd), without it PAM uses "other".
#include <security/pam_appl.h>
#include <string.h>

#include <cstdlib>
#include <string>

#include "server/log.h"
#include "server/password_check.h"

namespace burrow::server {

namespace {

struct ConversationData {
    std::string password;
};

void free_responses(pam_response* responses, int count)
{
    for (int i = 0; i < count; ++i) {
        if (responses[i].resp != nullptr) {
            explicit_bzero(responses[i].resp, strlen(responses[i].resp));
            std::free(responses[i].resp);
        }
    }
    std::free(responses);
}

/// pam_conv(3) callback: echo-off prompts get the password; messages are
/// logged at debug level; echo-on prompts (we have no second answer) fail.
int conversation(int count, const pam_message** messages, pam_response** out, void* context)
{
    if (count <= 0 || count > PAM_MAX_NUM_MSG || context == nullptr) {
        return PAM_CONV_ERR;
    }
    const auto* data = static_cast<const ConversationData*>(context);
    auto* responses =
        static_cast<pam_response*>(std::calloc(static_cast<size_t>(count), sizeof(pam_response)));
    if (responses == nullptr) {
        return PAM_BUF_ERR;
    }
    for (int i = 0; i < count; ++i) {
        const pam_message* message = messages[i];
        if (message->msg_style == PAM_PROMPT_ECHO_OFF) {
            responses[i].resp = strdup(data->password.c_str());
            if (responses[i].resp == nullptr) {
                free_responses(responses, count);
                return PAM_BUF_ERR;
            }
        } else if (message->msg_style == PAM_ERROR_MSG || message->msg_style == PAM_TEXT_INFO) {
            log_debug(std::string("PAM: ") + (message->msg != nullptr ? message->msg : ""));
        } else {
            free_responses(responses, count);
            return PAM_CONV_ERR;
        }
    }
    *out = responses;
    return PAM_SUCCESS;
}

}  // namespace

bool check_pam_password(const std::string& user, std::string_view password,
                        const PasswordPolicy& policy)
{
    ConversationData data{std::string(password)};
    const pam_conv conv{&conversation, &data};
    pam_handle_t* handle = nullptr;
    int rc = pam_start(pam_service_name, user.c_str(), &conv, &handle);
    if (rc != PAM_SUCCESS) {
        log_error("PAM: pam_start failed: " + std::to_string(rc));
        explicit_bzero(data.password.data(), data.password.size());
        return false;
    }
    pam_set_item(handle, PAM_RHOST, policy.remote_host.c_str());
    pam_set_item(handle, PAM_TTY, "ssh");
    const int flags = policy.permit_empty ? 0 : PAM_DISALLOW_NULL_AUTHTOK;
    rc = pam_authenticate(handle, flags);
    if (rc == PAM_SUCCESS) {
        rc = pam_acct_mgmt(handle, flags);
        if (rc != PAM_SUCCESS) {
            log_info("PAM: account check failed for " + user + ": " + pam_strerror(handle, rc));
        }
    } else {
        log_debug("PAM: authentication failed for " + user + ": " + pam_strerror(handle, rc));
    }
    pam_end(handle, rc);
    explicit_bzero(data.password.data(), data.password.size());
    return rc == PAM_SUCCESS;
}

}  // namespace burrow::server
