#pragma once
/// @file
/// Building blocks shared by the interop tests: key generation with ssh-keygen or
/// burrow-keygen, a running server (OpenSSH sshd or burrowd) on a free loopback port, and the
/// command lines of the two clients.
///
/// Binaries come from the environment (set by tests/interop/meson.build):
/// BURROWD, BURROW, BURROW_KEYGEN; SSH, SSHD, SSH_KEYGEN default to the system OpenSSH.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness.h"

namespace burrow::interop_test {

/// Paths of the programs under test and of the reference implementation.
struct Tools {
    std::string burrowd;
    std::string burrow;
    std::string burrow_keygen;
    std::string ssh;
    std::string sshd;
    std::string ssh_keygen;
};

/// The tools, read once from the environment.
const Tools& tools();

/// The three ciphers both implementations must agree on.
const std::vector<std::string>& all_ciphers();

/// An ed25519 key pair on disk.
struct KeyPair {
    std::string private_path;
    std::string public_path;
    /// "ssh-ed25519 AAAA..." (type and base64 blob, without the comment).
    std::string public_blob_line() const;
    /// The base64 blob alone.
    std::string public_blob() const;
};

/// Creates an unencrypted ed25519 key named @p name in @p dir with ssh-keygen.
KeyPair make_openssh_key(const TempDir& dir, const std::string& name);
/// Creates an unencrypted key of ssh-keygen type @p type ("ed25519", "ecdsa", "rsa") and
/// @p bits (0: ssh-keygen's default for the type) named @p name in @p dir.
KeyPair make_openssh_key(const TempDir& dir, const std::string& name, const std::string& type,
                         unsigned bits);
/// Creates an unencrypted ed25519 key named @p name in @p dir with burrow-keygen.
KeyPair make_burrow_key(const TempDir& dir, const std::string& name);
/// Appends @p key's public line to the authorized_keys file at @p path.
void authorize(const std::string& path, const KeyPair& key);

enum class ServerKind { openssh, burrowd };
enum class ClientKind { openssh, burrow };

const char* name_of(ServerKind kind);
const char* name_of(ClientKind kind);

/// A server listening on 127.0.0.1, stopped on destruction. Its stderr is kept in a file.
/// What a Server is started with beyond its kind.
struct ServerSettings {
    /// Host private key files (at least one).
    std::vector<std::string> host_keys;
    std::string authorized_keys;
    /// "Keyword=value" configuration lines, passed to either server with `-o`.
    std::vector<std::string> options;
    /// Appended to the configuration file as is (e.g. Match blocks, which
    /// `-o` cannot carry).
    std::string config_tail = {};
};

class Server final {
public:
    /// Starts the server and waits (bounded) until it accepts connections; throws with the
    /// server's log if it does not come up.
    Server(ServerKind kind, const TempDir& dir, const std::string& host_key_path,
           const std::string& authorized_keys_path);
    Server(ServerKind kind, const TempDir& dir, const ServerSettings& settings);

    uint16_t port() const { return m_port; }
    /// Everything the server wrote to stderr so far.
    std::string log() const;
    bool running() { return m_process->running(); }

private:
    std::vector<std::string> write_config(ServerKind kind, const TempDir& dir,
                                          const ServerSettings& settings) const;

    uint16_t m_port;
    std::string m_log_path;
    std::unique_ptr<Process> m_process;
};

/// Where each key of a ServedHost comes from.
enum class KeyMaker { openssh, burrow };

/// A server of one kind in its own temp dir, with fresh host and user keys (made by `ssh-keygen`
/// unless `host_key_maker` says otherwise) and the user key authorized. Tests bind its members:
/// `auto& [dir, host_key, user_key, authorized_keys, server] = served;`
struct ServedHost {
    explicit ServedHost(ServerKind kind, KeyMaker host_key_maker = KeyMaker::openssh);

    TempDir dir;
    KeyPair host_key;
    KeyPair user_key;
    std::string authorized_keys;
    Server server;
};

/// Client settings for one connection.
struct ClientOptions {
    std::string identity;
    std::string known_hosts;
    std::string strict_host_key_checking = "no";
    /// Empty: let the client choose.
    std::string cipher;
    /// More arguments placed before the destination (e.g. "-o", "KexAlgorithms=...", "-v").
    std::vector<std::string> extra = {};
};

/// Command line that runs @p remote_command on 127.0.0.1:@p port as the current user.
std::vector<std::string> client_command(ClientKind kind, uint16_t port,
                                        const ClientOptions& options,
                                        const std::string& remote_command);

/// OpenSSH ssh logging in to 127.0.0.1:@p port as @p user with only @p identity, in batch
/// mode, checking no host key; @p extra goes before the destination.
std::vector<std::string> openssh_login(uint16_t port, const std::string& identity,
                                       const std::string& user,
                                       const std::vector<std::string>& extra,
                                       const std::string& remote_command);

/// A file of random bytes (100 MiB, or INTEROP_BULK_MIB MiB) made once per test run.
const std::string& bulk_input_file();

/// A file of @p mib MiB of random bytes, made once per size per test run.
const std::string& random_file(unsigned mib);

/// Key fingerprint "SHA256:..." of the public key file @p public_path (ssh-keygen -l).
std::string sha256_fingerprint_of(const std::string& public_path, const std::string& scratch_dir);

}  // namespace burrow::interop_test
