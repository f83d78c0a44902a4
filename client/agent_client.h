// A client of the ssh-agent protocol (draft-miller-ssh-agent, OpenSSH's
// PROTOCOL.agent) over the Unix socket named by SSH_AUTH_SOCK: list the
// agent's keys and have it sign, so private keys never enter burrow.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/keys.h"

namespace burrow::client {

/// The agent could not be reached, refused, or answered nonsense.
class AgentError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One key the agent holds (SSH_AGENT_IDENTITIES_ANSWER entry).
struct AgentIdentity {
    Bytes blob;  ///< public key blob (RFC 4253 §6.6)
    std::string comment;
};

/// Longest agent message accepted or sent (the agent draft's 256 KiB limit).
inline constexpr size_t max_agent_message = 256 * 1024;

/// SSH_AGENTC_SIGN_REQUEST flags selecting the RSA hash for `sig_alg`
/// (SSH_AGENT_RSA_SHA2_256 = 2, SSH_AGENT_RSA_SHA2_512 = 4, otherwise 0).
uint32_t agent_sign_flags(std::string_view sig_alg);

/// A connection to one agent. Blocking I/O: each request waits for its answer.
class AgentClient {
public:
    /// Connect to the agent at `socket_path`; throws AgentError on failure.
    explicit AgentClient(const std::string& socket_path);
    ~AgentClient();
    AgentClient(const AgentClient&) = delete;
    AgentClient& operator=(const AgentClient&) = delete;

    /// Connect to $SSH_AUTH_SOCK; nullptr if unset or unreachable (`why` says which).
    static std::unique_ptr<AgentClient> from_environment(std::string& why);

    /// SSH_AGENTC_REQUEST_IDENTITIES -> SSH_AGENT_IDENTITIES_ANSWER.
    std::vector<AgentIdentity> request_identities();

    /// SSH_AGENTC_SIGN_REQUEST -> SSH_AGENT_SIGN_RESPONSE: the signature blob
    /// (string sig_alg, string sig). Throws AgentError if the agent refuses.
    Bytes sign(ByteView key_blob, ByteView data, uint32_t flags);

    /// Send one request body (type byte first) and return the answer body.
    Bytes transact(ByteView request);

private:
    int m_fd = -1;
};

/// A private key held by an agent: the public half is known, signing is
/// delegated. The agent connection must outlive the key.
class AgentKey final : public crypto::PrivateKey {
public:
    /// nullptr if the blob is of a type burrow does not know.
    static std::unique_ptr<AgentKey> create(AgentClient& agent, const AgentIdentity& identity);

    std::string_view key_type() const override { return m_public->key_type(); }
    const crypto::PublicKey& public_key() const override { return *m_public; }
    const std::string& comment() const { return m_comment; }
    /// Asks the agent; throws AgentError if it refuses or signs with
    /// another algorithm than `sig_alg`.
    Bytes sign(std::string_view sig_alg, ByteView data, crypto::Rng& rng) const override;
    /// The private half is not ours to write: throws.
    void write_private_fields(Bytes& out) const override;

private:
    AgentKey(AgentClient& agent, std::unique_ptr<crypto::PublicKey> key, std::string comment);

    AgentClient& m_agent;
    std::unique_ptr<crypto::PublicKey> m_public;
    std::string m_comment;
};

}  // namespace burrow::client
