#pragma once
/// @file
/// One run of the algorithm matrix: a server of one kind, started with a given host key type and
/// configuration lines, known to the client through a pinned known_hosts entry (strict checking,
/// so the host key really is verified), and the checks every cell of the matrix makes: a
/// command's output and 10 MiB through `cat` compared by SHA-256.

#include <memory>
#include <string>
#include <vector>

#include "algorithm_cases.h"
#include "fixtures.h"

namespace burrow::interop_test {

/// What a trial varies; everything else stays at the programs' defaults.
struct TrialSpec {
    Direction direction;
    KeyTypeCase host_key_type{"ed25519", 0, "ssh-ed25519"};
    KeyTypeCase user_key_type{"ed25519", 0, "ssh-ed25519"};
    /// Extra client arguments (algorithm selection, -C, -o RekeyLimit=...).
    std::vector<std::string> client_args = {};
    /// "Keyword=value" lines for the server.
    std::vector<std::string> server_options = {};
};

/// A running trial host. The OpenSSH end logs at debug level (ssh -v, sshd LogLevel DEBUG1) so
/// that the negotiated algorithms can be read from its log.
class Trial final {
public:
    explicit Trial(TrialSpec spec);

    const TempDir& dir() const { return m_dir; }
    Server& server() { return *m_server; }
    uint16_t port() const { return m_server->port(); }

    /// The client command line running @p remote_command, connecting to @p port (the server's
    /// port unless a proxy sits in between).
    std::vector<std::string> client(const std::string& remote_command, uint16_t port) const;
    std::vector<std::string> client(const std::string& remote_command) const
    {
        return client(remote_command, port());
    }

    /// The OpenSSH side's debug log for a run: the client's stderr or the server's log.
    std::string openssh_log(const RunResult& result) const;

    /// Runs `echo hello`; checks its output and that OpenSSH's log has every @p expected_log line.
    void check_command(const std::vector<std::string>& expected_log);
    /// Moves @p input through `cat` (via @p port) and checks size and SHA-256 of what comes back.
    /// Returns the client's run.
    RunResult check_bulk(const std::string& input, uint16_t port, std::chrono::seconds limit);
    RunResult check_bulk(const std::string& input) { return check_bulk(input, port(), bulk_limit); }

    /// Time allowed for 10 MiB through cat (generous: CI shares two cores).
    static constexpr std::chrono::seconds bulk_limit{120};

private:
    TrialSpec m_spec;
    TempDir m_dir;
    KeyPair m_host_key;
    KeyPair m_user_key;
    std::unique_ptr<Server> m_server;
    std::string m_known_hosts;
};

/// Size of the matrix's bulk transfer in MiB (issue B: 10 MiB).
constexpr unsigned matrix_bulk_mib = 10;

}  // namespace burrow::interop_test
