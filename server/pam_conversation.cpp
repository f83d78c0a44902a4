#include "server/pam_conversation.h"

#include <security/pam_appl.h>
#include <string.h>

#include <boost/asio/post.hpp>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>

namespace burrow::server {

/// Shared between the event loop and the PAM thread; every field below the
/// mutex is guarded by it. Handlers run on the executor only.
struct PamConversation::State {
    boost::asio::any_io_executor executor;
    PromptHandler on_prompts;
    DoneHandler on_done;
    std::string service;
    std::string user;
    PasswordPolicy policy;

    std::mutex mutex;
    std::condition_variable changed;
    bool cancelled = false;  ///< the owner is gone: no more handlers, PAM gets errors
    bool awaiting = false;   ///< prompts were sent, answers are due
    std::optional<std::vector<std::string>> answers;

    // Used by the PAM thread only.
    size_t rounds = 0;
    std::string instruction;  ///< PAM_TEXT_INFO / PAM_ERROR_MSG text for the next prompts
};

namespace {

void wipe(std::string& text)
{
    explicit_bzero(text.data(), text.size());
    text.clear();
}

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

/// Sends `request` through the event loop and waits for the client's
/// answers; nullopt if the owner went away meanwhile.
std::optional<std::vector<std::string>> ask_client(
    const std::shared_ptr<PamConversation::State>& state, protocol::InfoRequest request)
{
    boost::asio::post(state->executor, [state, request = std::move(request)] {
        {
            const std::lock_guard lock(state->mutex);
            if (state->cancelled) {
                return;
            }
            state->awaiting = true;
        }
        state->on_prompts(request);
    });
    std::unique_lock lock(state->mutex);
    state->changed.wait(lock, [&] { return state->cancelled || state->answers.has_value(); });
    if (state->cancelled) {
        return std::nullopt;
    }
    std::optional<std::vector<std::string>> answers = std::move(state->answers);
    state->answers.reset();
    return answers;
}

/// Fills `responses` at the prompt positions from `answers`; false on a
/// count mismatch or allocation failure.
bool fill_responses(pam_response* responses, const std::vector<int>& prompt_at,
                    const std::vector<std::string>& answers)
{
    if (answers.size() != prompt_at.size()) {
        return false;
    }
    for (size_t i = 0; i < answers.size(); ++i) {
        responses[prompt_at[i]].resp = strdup(answers[i].c_str());
        if (responses[prompt_at[i]].resp == nullptr) {
            return false;
        }
    }
    return true;
}

/// pam_conv(3) callback on the PAM thread: messages become instruction text,
/// prompts one INFO_REQUEST round (RFC 4256 §3.2), answered by the client.
int conversation(int count, const pam_message** messages, pam_response** out, void* context)
{
    if (count <= 0 || count > PAM_MAX_NUM_MSG || context == nullptr) {
        return PAM_CONV_ERR;
    }
    // The thread holds a reference for as long as PAM runs.
    const auto& state = *static_cast<const std::shared_ptr<PamConversation::State>*>(context);
    protocol::InfoRequest request;
    std::vector<int> prompt_at;
    for (int i = 0; i < count; ++i) {
        const pam_message* message = messages[i];
        const std::string text = message->msg != nullptr ? message->msg : "";
        switch (message->msg_style) {
            case PAM_PROMPT_ECHO_OFF:
            case PAM_PROMPT_ECHO_ON:
                request.prompts.push_back({text, message->msg_style == PAM_PROMPT_ECHO_ON});
                prompt_at.push_back(i);
                break;
            case PAM_ERROR_MSG:
            case PAM_TEXT_INFO:
                state->instruction += text + "\n";
                break;
            default:
                return PAM_CONV_ERR;
        }
    }
    auto* responses =
        static_cast<pam_response*>(std::calloc(static_cast<size_t>(count), sizeof(pam_response)));
    if (responses == nullptr) {
        return PAM_BUF_ERR;
    }
    if (prompt_at.empty()) {
        // Only messages: they go out with the next prompts.
        *out = responses;
        return PAM_SUCCESS;
    }
    if (++state->rounds > max_pam_rounds) {
        free_responses(responses, count);
        return PAM_CONV_ERR;
    }
    request.instruction = std::move(state->instruction);
    state->instruction.clear();
    std::optional<std::vector<std::string>> answers = ask_client(state, std::move(request));
    const bool ok = answers && fill_responses(responses, prompt_at, *answers);
    if (answers) {
        for (std::string& answer : *answers) {
            wipe(answer);
        }
    }
    if (!ok) {
        free_responses(responses, count);
        return PAM_CONV_ERR;
    }
    *out = responses;
    return PAM_SUCCESS;
}

/// The PAM transaction (pam_authenticate, then pam_acct_mgmt); "" or PAM's error text.
std::string run_pam(std::shared_ptr<PamConversation::State>& state)
{
    const pam_conv conv{&conversation, &state};
    pam_handle_t* handle = nullptr;
    int rc = pam_start(state->service.c_str(), state->user.c_str(), &conv, &handle);
    if (rc != PAM_SUCCESS) {
        return "pam_start failed: " + std::to_string(rc);
    }
    pam_set_item(handle, PAM_RHOST, state->policy.remote_host.c_str());
    pam_set_item(handle, PAM_TTY, "ssh");
    const int flags = state->policy.permit_empty ? 0 : PAM_DISALLOW_NULL_AUTHTOK;
    rc = pam_authenticate(handle, flags);
    std::string detail;
    if (rc == PAM_SUCCESS) {
        rc = pam_acct_mgmt(handle, flags);
        if (rc != PAM_SUCCESS) {
            detail = std::string("account check failed: ") + pam_strerror(handle, rc);
        }
    } else {
        detail = pam_strerror(handle, rc);
    }
    pam_end(handle, rc);
    return detail;
}

void pam_thread(std::shared_ptr<PamConversation::State> state)
{
    std::string detail;
    try {
        detail = run_pam(state);
    } catch (const std::exception& e) {
        detail = std::string("PAM conversation failed: ") + e.what();
    }
    boost::asio::post(state->executor, [state, detail] {
        {
            const std::lock_guard lock(state->mutex);
            if (state->cancelled) {
                return;
            }
            state->awaiting = false;
        }
        state->on_done(detail.empty(), detail);
    });
}

}  // namespace

PamConversation::PamConversation(boost::asio::any_io_executor executor, std::string service,
                                 std::string user, const PasswordPolicy& policy,
                                 PromptHandler on_prompts, DoneHandler on_done)
    : m_state(std::make_shared<State>())
{
    m_state->executor = std::move(executor);
    m_state->on_prompts = std::move(on_prompts);
    m_state->on_done = std::move(on_done);
    m_state->service = std::move(service);
    m_state->user = std::move(user);
    m_state->policy = policy;
    m_thread = std::thread(pam_thread, m_state);
}

PamConversation::~PamConversation()
{
    {
        const std::lock_guard lock(m_state->mutex);
        m_state->cancelled = true;
        if (m_state->answers) {
            for (std::string& answer : *m_state->answers) {
                wipe(answer);
            }
        }
    }
    m_state->changed.notify_all();
    m_thread.join();
}

void PamConversation::answer(const std::vector<std::string_view>& responses)
{
    {
        const std::lock_guard lock(m_state->mutex);
        if (!m_state->awaiting || m_state->cancelled) {
            return;
        }
        m_state->awaiting = false;
        m_state->answers.emplace(responses.begin(), responses.end());
    }
    m_state->changed.notify_all();
}

bool PamConversation::awaiting_answers() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->awaiting;
}

}  // namespace burrow::server
