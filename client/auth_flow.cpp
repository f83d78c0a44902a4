#include "client/auth_flow.h"

#include <algorithm>

#include <fstream>
#include <sstream>

#include "client/key_text.h"

namespace burrow::client {

namespace {

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ",") + item;
    }
    return out;
}

bool contains(const std::vector<Bytes>& blobs, const Bytes& blob)
{
    return std::find(blobs.begin(), blobs.end(), blob) != blobs.end();
}

}  // namespace

std::vector<Bytes> identity_file_blobs(const std::vector<std::string>& files,
                                       const std::vector<Identity>& loaded)
{
    std::vector<Bytes> blobs;
    for (const std::string& path : files) {
        const auto found = std::find_if(loaded.begin(), loaded.end(),
                                        [&](const Identity& id) { return id.path == path; });
        if (found != loaded.end()) {
            blobs.push_back(found->key->public_key().blob());
            continue;
        }
        std::ifstream in(path + ".pub");
        if (!in) {
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        for (PublicKeyText& key : parse_public_keys(text.str())) {
            blobs.push_back(std::move(key.blob));
        }
    }
    return blobs;
}

std::vector<KeyCandidate> order_keys(const std::vector<std::unique_ptr<AgentKey>>& agent_keys,
                                     const std::vector<Identity>& files,
                                     const std::vector<Bytes>& file_blobs, bool identities_only)
{
    std::vector<KeyCandidate> keys;
    std::vector<Bytes> offered;
    for (const auto& key : agent_keys) {
        const Bytes& blob = key->public_key().blob();
        if ((identities_only && !contains(file_blobs, blob)) || contains(offered, blob)) {
            continue;
        }
        offered.push_back(blob);
        keys.push_back(KeyCandidate{key->comment(), key.get(), true});
    }
    for (const Identity& identity : files) {
        const Bytes& blob = identity.key->public_key().blob();
        if (contains(offered, blob)) {
            continue;  // the agent holds it: no need to use the file
        }
        offered.push_back(blob);
        keys.push_back(KeyCandidate{identity.path, identity.key.get(), false});
    }
    return keys;
}

std::string printable_text(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n' || c == '\t' || (u >= 0x20 && u != 0x7f)) {
            out.push_back(c);
        }
    }
    return out;
}

AuthFlow::AuthFlow(const Settings& settings, const Logger& log, std::vector<KeyCandidate> keys,
                   Prompter& prompter, AuthTransport& transport)
    : m_settings(settings),
      m_log(log),
      m_keys(std::move(keys)),
      m_prompter(prompter),
      m_transport(transport)
{
}

void AuthFlow::start()
{
    m_log.debug1("Authenticating to " + m_settings.host + ":" + std::to_string(m_settings.port) +
                 " as '" + m_settings.user + "'");
    // As ssh(1): "none" first (RFC 4252 §5.2) to learn the server's methods,
    // so no password is asked for a server that only takes keys. Unless
    // PreferredAuthentications names "none", a credential is required and a
    // server accepting "none" is refused.
    const auto& preferred = m_settings.preferred_authentications;
    m_none_probe = std::find(preferred.begin(), preferred.end(), "none") == preferred.end();
    m_none_tried = true;
    m_current = Method::none;
    m_transport.try_none(m_settings.user);
}

bool AuthFlow::server_allows(const std::string& name) const
{
    // Before the first FAILURE the server's list is unknown: try what we
    // prefer. Afterwards only methods that "can continue" (RFC 4252 §5.1).
    return !m_server_methods || std::find(m_server_methods->begin(), m_server_methods->end(),
                                          name) != m_server_methods->end();
}

void AuthFlow::next_attempt()
{
    for (const std::string& name : m_settings.preferred_authentications) {
        if (server_allows(name) && try_method(name)) {
            return;
        }
    }
    fail();
}

bool AuthFlow::try_method(const std::string& name)
{
    if (name == "publickey") {
        return try_next_key();
    }
    if (name == "keyboard-interactive") {
        return try_keyboard_interactive();
    }
    if (name == "password") {
        return try_password();
    }
    if (name == "none" && !m_none_tried) {
        // Only when configured: a "none" success means no credential at all.
        m_none_tried = true;
        m_current = Method::none;
        m_transport.try_none(m_settings.user);
        return true;
    }
    return false;
}

bool AuthFlow::try_next_key()
{
    if (m_next_key >= m_keys.size()) {
        return false;
    }
    const KeyCandidate& candidate = m_keys[m_next_key++];
    m_log.debug1("Offering public key: " + candidate.label + " " +
                 describe_key(candidate.key->public_key()) +
                 (candidate.from_agent ? " agent" : ""));
    m_current = Method::publickey;
    m_transport.try_publickey(m_settings.user, *candidate.key);
    return true;
}

bool AuthFlow::try_password()
{
    if (m_settings.batch_mode || m_password_prompts >= m_settings.number_of_password_prompts) {
        return false;
    }
    ++m_password_prompts;
    std::optional<std::string> password =
        m_prompter.secret(m_settings.user + "@" + m_settings.host + "'s password: ");
    if (!password) {
        // Cancelled (or no way to ask): no more password attempts.
        m_password_prompts = m_settings.number_of_password_prompts;
        return false;
    }
    m_current = Method::password;
    m_transport.try_password(m_settings.user, std::move(*password));
    return true;
}

bool AuthFlow::try_keyboard_interactive()
{
    if (m_settings.batch_mode || m_kbdint_exhausted ||
        m_kbdint_attempts >= m_settings.number_of_password_prompts) {
        return false;
    }
    ++m_kbdint_attempts;
    m_kbdint_prompted = false;
    m_current = Method::keyboard_interactive;
    m_transport.try_keyboard_interactive(m_settings.user);
    return true;
}

void AuthFlow::on_info_request(const protocol::InfoRequest& request)
{
    m_kbdint_prompted = true;
    if (!request.name.empty()) {
        m_prompter.show(printable_text(request.name));
    }
    if (!request.instruction.empty()) {
        m_prompter.show(printable_text(request.instruction));
    }
    // RFC 4256 §3.3: one response per prompt, in order; echo as the server says.
    std::vector<std::string> responses;
    for (const protocol::KbdIntPrompt& prompt : request.prompts) {
        const std::string text = printable_text(prompt.text);
        std::optional<std::string> answer =
            prompt.echo ? m_prompter.line(text, true) : m_prompter.secret(text);
        if (!answer) {
            // Cancelled: answer empty and do not ask again.
            m_kbdint_exhausted = true;
            answer.emplace();
        }
        responses.push_back(std::move(*answer));
    }
    m_transport.answer_info_request(std::move(responses));
}

void AuthFlow::on_result(const protocol::AuthResult& result)
{
    if (m_done) {
        return;
    }
    static const char* const names[] = {"none", "publickey", "password", "keyboard-interactive"};
    const std::string method = names[static_cast<int>(m_current)];
    if (result.success) {
        m_done = true;
        if (m_current == Method::none && m_none_probe) {
            // We only asked to learn the methods; the configuration wants a
            // credential, so a server letting us in without one is refused.
            m_failure = "server accepted authentication without any credential: refusing it";
            m_transport.auth_done(false);
            return;
        }
        m_method = method;
        m_log.debug1("Authenticated to " + m_settings.host + " port " +
                     std::to_string(m_settings.port) + " using \"" + method + "\".");
        m_transport.auth_done(true);
        return;
    }
    m_server_methods = result.methods_can_continue;
    if (result.partial_success) {
        m_log.debug1("Authenticated using \"" + method + "\" with partial success.");
    } else if (m_current == Method::password) {
        m_log.error("Permission denied, please try again.");
    } else if (m_current == Method::keyboard_interactive && !m_kbdint_prompted) {
        m_kbdint_exhausted = true;  // the server asked nothing: not usable
    }
    m_log.debug1("Authentications that can continue: " + join(result.methods_can_continue));
    next_attempt();
}

void AuthFlow::fail()
{
    m_done = true;
    const std::string methods = m_server_methods ? join(*m_server_methods) : std::string();
    m_failure = m_settings.user + "@" + m_settings.host + ": Permission denied (" +
                (methods.empty() ? join(m_settings.preferred_authentications) : methods) + ").";
    m_transport.auth_done(false);
}

}  // namespace burrow::client
