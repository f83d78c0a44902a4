#include "trial.h"

#include <catch2/catch.hpp>

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(60);

std::vector<std::string> with_debug_log(const TrialSpec& spec)
{
    std::vector<std::string> options = spec.server_options;
    if (spec.direction.server == ServerKind::openssh) {
        options.push_back("LogLevel=DEBUG1");
    }
    return options;
}

}  // namespace

Trial::Trial(TrialSpec spec)
    : m_spec(std::move(spec)),
      m_host_key(make_openssh_key(m_dir, "host_key", m_spec.host_key_type.keygen_type,
                                  m_spec.host_key_type.bits)),
      m_user_key(make_openssh_key(m_dir, "user_key", m_spec.user_key_type.keygen_type,
                                  m_spec.user_key_type.bits)),
      m_known_hosts(m_dir.file("known_hosts"))
{
    const std::string authorized_keys = m_dir.file("authorized_keys");
    authorize(authorized_keys, m_user_key);
    m_server = std::make_unique<Server>(
        m_spec.direction.server, m_dir,
        ServerSettings{{m_host_key.private_path}, authorized_keys, with_debug_log(m_spec)});
    // Pinned host key and strict checking: the signature must verify with exactly this key.
    write_text(m_known_hosts, "[127.0.0.1]:" + std::to_string(m_server->port()) + " " +
                                  m_host_key.public_blob_line() + "\n");
}

std::vector<std::string> Trial::client(const std::string& remote_command, uint16_t port) const
{
    ClientOptions options{m_user_key.private_path, m_known_hosts, "yes", "", m_spec.client_args};
    if (m_spec.direction.client == ClientKind::openssh) {
        options.extra.push_back("-v");
    }
    if (port != m_server->port()) {
        // Through a proxy the client sees another port: pin the key for that name too.
        append_text(m_known_hosts, "[127.0.0.1]:" + std::to_string(port) + " " +
                                       m_host_key.public_blob_line() + "\n");
    }
    return client_command(m_spec.direction.client, port, options, remote_command);
}

std::string Trial::openssh_log(const RunResult& result) const
{
    return m_spec.direction.server == ServerKind::openssh ? m_server->log() : result.err;
}

void Trial::check_command(const std::vector<std::string>& expected_log)
{
    const std::vector<std::string> argv = client("echo hello");
    const RunResult result = run(argv, RunOptions{m_dir.path(), command_timeout});
    const std::string log = openssh_log(result);
    INFO(describe(argv, result) << "\nserver log:\n" << tail(m_server->log()));
    CHECK(result.exit_code == 0);
    CHECK(result.out == "hello\n");
    for (const std::string& line : expected_log) {
        INFO("OpenSSH's log must contain [" << line << "]");
        CHECK(log.find(line) != std::string::npos);
    }
}

RunResult Trial::check_bulk(const std::string& input, uint16_t port, std::chrono::seconds limit)
{
    const std::string output = m_dir.file("bulk.out");
    const std::vector<std::string> argv = client("cat", port);
    const RunResult result = run(argv, RunOptions{m_dir.path(), limit, input, output});
    INFO(describe(argv, result) << "\nserver log:\n" << tail(m_server->log()));
    CHECK(result.exit_code == 0);
    CHECK(file_size(output) == file_size(input));
    if (file_size(output) == file_size(input)) {
        CHECK(sha256_of_file(output, m_dir.path()) == sha256_of_file(input, m_dir.path()));
    }
    return result;
}

}  // namespace burrow::interop_test
