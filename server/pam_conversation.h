// keyboard-interactive through a full PAM conversation (UsePAM yes), as
// sshd(8) does with KbdInteractiveAuthentication: pam_authenticate and
// pam_acct_mgmt run on a thread of their own, because PAM's conversation
// callback is synchronous; each round of prompts becomes one RFC 4256
// SSH_MSG_USERAUTH_INFO_REQUEST posted to the connection's event loop, and
// the client's INFO_RESPONSE is handed back to the waiting callback.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "protocol/events.h"
#include "server/password_check.h"

namespace burrow::server {

/// Most PAM conversation rounds with prompts one attempt may take; a module
/// asking more often fails the attempt (bounded work per attempt).
constexpr size_t max_pam_rounds = 8;

class PamConversation {
public:
    /// Prompts to send to the client (called on the executor).
    using PromptHandler = std::function<void(const protocol::InfoRequest&)>;
    /// PAM's verdict (pam_authenticate, then pam_acct_mgmt), called on the
    /// executor once; `detail` is PAM's error text for the logs ("" on success).
    using DoneHandler = std::function<void(bool ok, const std::string& detail)>;

    /// Starts the PAM transaction of `service` (burrowd: pam_service_name)
    /// for `user` (the name as the client sent it, also for unknown users:
    /// PAM then does its usual work and fails). Handlers run only on
    /// `executor`, and never after destruction.
    PamConversation(boost::asio::any_io_executor executor, std::string service, std::string user,
                    const PasswordPolicy& policy, PromptHandler on_prompts, DoneHandler on_done);
    /// Cancels a conversation still waiting for answers (PAM sees a
    /// conversation error) and joins the thread.
    ~PamConversation();

    PamConversation(const PamConversation&) = delete;
    PamConversation& operator=(const PamConversation&) = delete;

    /// The client's answers to the latest prompts (one per prompt, RFC 4256
    /// §3.4). Copied; the caller's buffers stay the caller's to wipe.
    void answer(const std::vector<std::string_view>& responses);

    /// Prompts were sent and their answers are due.
    bool awaiting_answers() const;

    struct State;

private:
    std::shared_ptr<State> m_state;
    std::thread m_thread;
};

}  // namespace burrow::server
