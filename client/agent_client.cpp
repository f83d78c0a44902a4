#include "client/agent_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace burrow::client {

namespace {

// Message numbers from the ssh-agent draft, §5.1 and §3.
constexpr uint8_t agent_failure = 5;
constexpr uint8_t request_identities_msg = 11;
constexpr uint8_t identities_answer_msg = 12;
constexpr uint8_t sign_request_msg = 13;
constexpr uint8_t sign_response_msg = 14;
constexpr uint32_t rsa_sha2_256_flag = 2;
constexpr uint32_t rsa_sha2_512_flag = 4;

void put_u32(Bytes& out, uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<uint8_t>(v >> shift));
    }
}

void put_string(Bytes& out, ByteView s)
{
    put_u32(out, static_cast<uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
}

/// Bounds-checked reader of the agent's answers (RFC 4251 §5 types).
class Parser {
public:
    explicit Parser(ByteView data) : m_data(data) {}

    uint8_t u8() { return take(1)[0]; }
    uint32_t u32()
    {
        const ByteView b = take(4);
        return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    }
    ByteView string() { return take(u32()); }
    bool done() const { return m_pos == m_data.size(); }

private:
    ByteView take(size_t n)
    {
        if (n > m_data.size() - m_pos) {
            throw AgentError("malformed answer from the agent");
        }
        const ByteView out = m_data.subspan(m_pos, n);
        m_pos += n;
        return out;
    }

    ByteView m_data;
    size_t m_pos = 0;
};

void write_all(int fd, ByteView data)
{
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw AgentError(std::string("writing to the agent: ") + std::strerror(errno));
        }
        done += static_cast<size_t>(n);
    }
}

void read_all(int fd, MutableByteView data)
{
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n == 0) {
            throw AgentError("the agent closed the connection");
        }
        if (n < 0) {
            throw AgentError(std::string("reading from the agent: ") + std::strerror(errno));
        }
        done += static_cast<size_t>(n);
    }
}

}  // namespace

uint32_t agent_sign_flags(std::string_view sig_alg)
{
    // The agent signs RSA keys with SHA-1 ("ssh-rsa") unless a flag asks
    // for the RFC 8332 algorithms.
    if (sig_alg == "rsa-sha2-256") {
        return rsa_sha2_256_flag;
    }
    if (sig_alg == "rsa-sha2-512") {
        return rsa_sha2_512_flag;
    }
    return 0;
}

AgentClient::AgentClient(const std::string& socket_path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.empty() || socket_path.size() >= sizeof address.sun_path) {
        throw AgentError("bad agent socket path");
    }
    std::memcpy(address.sun_path, socket_path.data(), socket_path.size());
    m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        throw AgentError(std::string("socket: ") + std::strerror(errno));
    }
    if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const std::string why = std::strerror(errno);
        ::close(m_fd);
        throw AgentError("cannot connect to the agent at " + socket_path + ": " + why);
    }
}

AgentClient::~AgentClient()
{
    ::close(m_fd);
}

std::unique_ptr<AgentClient> AgentClient::from_environment(std::string& why)
{
    const char* path = std::getenv("SSH_AUTH_SOCK");
    if (path == nullptr || *path == '\0') {
        why = "SSH_AUTH_SOCK is not set";
        return nullptr;
    }
    try {
        return std::make_unique<AgentClient>(path);
    } catch (const AgentError& e) {
        why = e.what();
        return nullptr;
    }
}

Bytes AgentClient::transact(ByteView request)
{
    // Every message is framed as uint32 length, then the body (draft §3).
    if (request.size() > max_agent_message) {
        throw AgentError("agent request too large");
    }
    Bytes framed;
    framed.reserve(request.size() + 4);
    put_u32(framed, static_cast<uint32_t>(request.size()));
    framed.insert(framed.end(), request.begin(), request.end());
    write_all(m_fd, framed);
    uint8_t length_bytes[4];
    read_all(m_fd, length_bytes);
    const uint32_t length = Parser(length_bytes).u32();
    if (length == 0 || length > max_agent_message) {
        throw AgentError("agent answer of bad length " + std::to_string(length));
    }
    Bytes answer(length);
    read_all(m_fd, answer);
    return answer;
}

std::vector<AgentIdentity> AgentClient::request_identities()
{
    const uint8_t request[] = {request_identities_msg};
    const Bytes answer = transact(request);
    Parser p(answer);
    const uint8_t type = p.u8();
    if (type != identities_answer_msg) {
        throw AgentError("agent refused to list keys (message " + std::to_string(type) + ")");
    }
    const uint32_t count = p.u32();
    std::vector<AgentIdentity> identities;
    for (uint32_t i = 0; i < count; ++i) {
        AgentIdentity identity;
        const ByteView blob = p.string();
        identity.blob.assign(blob.begin(), blob.end());
        identity.comment = to_string(p.string());
        identities.push_back(std::move(identity));
    }
    if (!p.done()) {
        throw AgentError("trailing bytes in the agent's key list");
    }
    return identities;
}

Bytes AgentClient::sign(ByteView key_blob, ByteView data, uint32_t flags)
{
    Bytes request{sign_request_msg};
    put_string(request, key_blob);
    put_string(request, data);
    put_u32(request, flags);
    const Bytes answer = transact(request);
    Parser p(answer);
    const uint8_t type = p.u8();
    if (type == agent_failure) {
        throw AgentError("agent refused operation");
    }
    if (type != sign_response_msg) {
        throw AgentError("unexpected agent answer " + std::to_string(type) + " to a sign request");
    }
    const ByteView signature = p.string();
    if (!p.done()) {
        throw AgentError("trailing bytes in the agent's signature");
    }
    return Bytes(signature.begin(), signature.end());
}

std::unique_ptr<AgentKey> AgentKey::create(AgentClient& agent, const AgentIdentity& identity)
{
    std::unique_ptr<crypto::PublicKey> key = crypto::parse_public_key_blob(identity.blob);
    if (!key) {
        return nullptr;
    }
    return std::unique_ptr<AgentKey>(new AgentKey(agent, std::move(key), identity.comment));
}

AgentKey::AgentKey(AgentClient& agent, std::unique_ptr<crypto::PublicKey> key, std::string comment)
    : m_agent(agent), m_public(std::move(key)), m_comment(std::move(comment))
{
}

Bytes AgentKey::sign(std::string_view sig_alg, ByteView data, crypto::Rng& /*rng*/) const
{
    Bytes signature = m_agent.sign(m_public->blob(), data, agent_sign_flags(sig_alg));
    // An old agent may ignore the RSA flags and sign with SHA-1: the server
    // would refuse that signature, so say so here instead.
    Parser p(signature);
    if (to_string(p.string()) != sig_alg) {
        throw AgentError("agent signed with another algorithm than " + std::string(sig_alg));
    }
    return signature;
}

void AgentKey::write_private_fields(Bytes& /*out*/) const
{
    throw AgentError("the private half of an agent key is not available");
}

}  // namespace burrow::client
