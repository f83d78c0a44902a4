// The client's user authentication sequence, as ssh(1) runs it: the
// PreferredAuthentications order, keys offered one by one (the core queries
// before signing, RFC 4252 §7), password and keyboard-interactive prompts,
// BatchMode, NumberOfPasswordPrompts, partial success (several factors) and
// the final "Permission denied (...)" with the server's method list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/agent_client.h"
#include "client/identity.h"
#include "client/log.h"
#include "client/options.h"
#include "crypto/keys.h"
#include "protocol/events.h"

namespace burrow::client {

/// Asks the user. The real one uses client/prompt.h; tests script it.
class Prompter {
public:
    virtual ~Prompter() = default;
    /// A secret without echo; nullopt = cancelled or impossible.
    virtual std::optional<std::string> secret(const std::string& prompt) = 0;
    /// One line, echoed or not.
    virtual std::optional<std::string> line(const std::string& prompt, bool echo) = 0;
    /// Text from the server to show (keyboard-interactive name / instruction).
    virtual void show(const std::string& text) = 0;
};

/// Where the flow sends its attempts; the session forwards them to the
/// protocol::Connection. Each attempt is answered by AuthFlow::on_result().
class AuthTransport {
public:
    virtual ~AuthTransport() = default;
    virtual void try_none(const std::string& user) = 0;
    virtual void try_publickey(const std::string& user, const crypto::PrivateKey& key) = 0;
    /// `password` is the caller's to wipe after sending.
    virtual void try_password(const std::string& user, std::string password) = 0;
    virtual void try_keyboard_interactive(const std::string& user) = 0;
    virtual void answer_info_request(std::vector<std::string> responses) = 0;
    /// The flow is over: authenticated, or not (failure_message() says why).
    virtual void auth_done(bool success) = 0;
};

/// One key to offer, in order; the key must outlive the flow.
struct KeyCandidate {
    std::string label;  ///< file path or agent comment, for log lines
    const crypto::PrivateKey* key = nullptr;
    bool from_agent = false;
};

class AuthFlow {
public:
    AuthFlow(const Settings& settings, const Logger& log, std::vector<KeyCandidate> keys,
             Prompter& prompter, AuthTransport& transport);

    /// The ssh-userauth service is ready: make the first attempt.
    void start();
    /// Outcome of the last attempt.
    void on_result(const protocol::AuthResult& result);
    /// keyboard-interactive prompts from the server (RFC 4256 §3.2).
    void on_info_request(const protocol::InfoRequest& request);

    /// The method that completed authentication ("publickey", ...).
    const std::string& method_used() const { return m_method; }
    /// "user@host: Permission denied (publickey,password)." after a failure.
    const std::string& failure_message() const { return m_failure; }

private:
    enum class Method { none, publickey, password, keyboard_interactive };

    /// Make the next attempt allowed by the configuration and the server's
    /// list, or end the flow when nothing is left.
    void next_attempt();
    bool try_method(const std::string& name);
    bool server_allows(const std::string& name) const;
    bool try_next_key();
    bool try_password();
    bool try_keyboard_interactive();
    void fail();

    const Settings& m_settings;
    const Logger& m_log;
    std::vector<KeyCandidate> m_keys;
    Prompter& m_prompter;
    AuthTransport& m_transport;

    std::optional<std::vector<std::string>> m_server_methods;  ///< from the last FAILURE
    Method m_current = Method::none;
    bool m_none_tried = false;
    bool m_none_probe = false;  ///< "none" sent only to learn the server's methods
    size_t m_next_key = 0;
    unsigned m_password_prompts = 0;
    unsigned m_kbdint_attempts = 0;
    bool m_kbdint_exhausted = false;
    bool m_kbdint_prompted = false;  ///< the current keyboard-interactive attempt got prompts
    bool m_done = false;
    std::string m_method;
    std::string m_failure;
};

/// The public key blobs the configured identity files stand for: the loaded
/// key's, else the "<file>.pub" next to it (an encrypted key's public half).
std::vector<Bytes> identity_file_blobs(const std::vector<std::string>& files,
                                       const std::vector<Identity>& loaded);

/// Keys in ssh(1)'s order: the agent's first (with IdentitiesOnly only those
/// matching `file_blobs`), then the loaded files not already offered through
/// the agent.
std::vector<KeyCandidate> order_keys(const std::vector<std::unique_ptr<AgentKey>>& agent_keys,
                                     const std::vector<Identity>& files,
                                     const std::vector<Bytes>& file_blobs, bool identities_only);

/// Printable form of server-supplied text: control characters other than
/// newline and tab removed, so it cannot drive the user's terminal.
std::string printable_text(std::string_view text);

}  // namespace burrow::client
