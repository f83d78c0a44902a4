#include "fixtures.h"

#include <sys/stat.h>

#include <cerrno>
#include <map>
#include <sstream>
#include <stdexcept>

namespace burrow::interop_test {
namespace {

constexpr auto server_start_timeout = std::chrono::seconds(10);

std::vector<std::string> split_words(const std::string& line)
{
    std::istringstream in(line);
    std::vector<std::string> words;
    std::string word;
    while (in >> word) {
        words.push_back(word);
    }
    return words;
}

void check_key_files(const std::vector<std::string>& argv, const RunResult& result,
                     const KeyPair& key)
{
    if (result.exit_code != 0 || file_size(key.private_path) == 0 ||
        file_size(key.public_path) == 0) {
        throw std::runtime_error("key generation failed: " + describe(argv, result));
    }
}

/// sshd refuses to start without its privilege separation directory.
void ensure_sshd_privsep_dir()
{
    struct stat info {};
    if (::stat("/run/sshd", &info) != 0) {
        ::mkdir("/run/sshd", 0755);
    }
}

void append_options(std::vector<std::string>& argv, const std::vector<std::string>& options)
{
    for (const std::string& option : options) {
        argv.insert(argv.end(), {"-o", option});
    }
}

}  // namespace

const Tools& tools()
{
    static const Tools instance{
        env_or("BURROWD", "burrowd"),
        env_or("BURROW", "burrow"),
        env_or("BURROW_KEYGEN", "burrow-keygen"),
        env_or("SSH", "ssh"),
        env_or("SSHD", "/usr/sbin/sshd"),
        env_or("SSH_KEYGEN", "ssh-keygen"),
    };
    return instance;
}

const std::vector<std::string>& all_ciphers()
{
    static const std::vector<std::string> ciphers{
        "chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"};
    return ciphers;
}

std::string KeyPair::public_blob_line() const
{
    const std::vector<std::string> words = split_words(read_text(public_path));
    if (words.size() < 2) {
        throw std::runtime_error("malformed public key file " + public_path);
    }
    return words[0] + " " + words[1];
}

std::string KeyPair::public_blob() const
{
    const std::vector<std::string> words = split_words(read_text(public_path));
    return words.size() < 2 ? std::string() : words[1];
}

KeyPair make_openssh_key(const TempDir& dir, const std::string& name)
{
    return make_openssh_key(dir, name, "ed25519", 0);
}

KeyPair make_openssh_key(const TempDir& dir, const std::string& name, const std::string& type,
                         unsigned bits)
{
    const KeyPair key{dir.file(name), dir.file(name) + ".pub"};
    std::vector<std::string> argv{
        tools().ssh_keygen, "-q", "-t", type, "-N", "", "-C", name + "@interop", "-f",
        key.private_path};
    if (bits != 0) {
        argv.insert(argv.begin() + 4, {"-b", std::to_string(bits)});
    }
    check_key_files(argv, run(argv, RunOptions{dir.path()}), key);
    return key;
}

KeyPair make_burrow_key(const TempDir& dir, const std::string& name)
{
    const KeyPair key{dir.file(name), dir.file(name) + ".pub"};
    const std::vector<std::string> argv{
        tools().burrow_keygen, "-t", "ed25519",       "-N", "", "-C",
        name + "@interop",     "-f", key.private_path};
    check_key_files(argv, run(argv, RunOptions{dir.path()}), key);
    return key;
}

void authorize(const std::string& path, const KeyPair& key)
{
    append_text(path, read_text(key.public_path));
}

const char* name_of(ServerKind kind)
{
    return kind == ServerKind::openssh ? "OpenSSH sshd" : "burrowd";
}

const char* name_of(ClientKind kind)
{
    return kind == ClientKind::openssh ? "OpenSSH ssh" : "burrow";
}

ServedHost::ServedHost(ServerKind kind, KeyMaker host_key_maker)
    : host_key(host_key_maker == KeyMaker::openssh ? make_openssh_key(dir, "host_key")
                                                   : make_burrow_key(dir, "host_key")),
      user_key(make_openssh_key(dir, "user_key")),
      authorized_keys(dir.file("authorized_keys")),
      server((authorize(authorized_keys, user_key), kind), dir, host_key.private_path,
             authorized_keys)
{
}

Server::Server(ServerKind kind, const TempDir& dir, const std::string& host_key_path,
               const std::string& authorized_keys_path)
    : Server(kind, dir, ServerSettings{{host_key_path}, authorized_keys_path, {}})
{
}

Server::Server(ServerKind kind, const TempDir& dir, const ServerSettings& settings)
    : m_port(free_loopback_port())
{
    const std::string tag = kind == ServerKind::openssh ? "sshd" : "burrowd";
    m_log_path = dir.file(tag + "-" + std::to_string(m_port) + ".log");
    const std::vector<std::string> argv = write_config(kind, dir, settings);
    m_process = std::make_unique<Process>(argv, Redirects{"/dev/null", "/dev/null", m_log_path});
    if (!wait_for_port(m_port, *m_process, server_start_timeout)) {
        m_process->terminate();
        throw std::runtime_error(std::string(name_of(kind)) + " did not accept connections on " +
                                 std::to_string(m_port) + "; its log:\n" + tail(log()));
    }
}

std::vector<std::string> Server::write_config(ServerKind kind, const TempDir& dir,
                                              const ServerSettings& settings) const
{
    const std::string port = std::to_string(m_port);
    const std::string tag = kind == ServerKind::openssh ? "sshd" : "burrowd";
    const std::string config_path = dir.file(tag + "-" + port + ".conf");
    const std::string pid_path = dir.file(tag + "-" + port + ".pid");
    std::ostringstream config;
    config << "ListenAddress 127.0.0.1\n"
           << "AuthorizedKeysFile " << settings.authorized_keys << "\n"
           << "PidFile " << pid_path << "\n";
    if (kind == ServerKind::openssh) {
        ensure_sshd_privsep_dir();
        for (const std::string& host_key : settings.host_keys) {
            config << "HostKey " << host_key << "\n";
        }
        config << "StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n"
               << "KbdInteractiveAuthentication no\nPasswordAuthentication no\n";
        config << settings.config_tail;
        write_text(config_path, config.str());
        std::vector<std::string> argv{tools().sshd, "-D", "-e", "-f", config_path, "-p", port};
        append_options(argv, settings.options);
        return argv;
    }
    config << settings.config_tail;
    write_text(config_path, config.str());
    std::vector<std::string> argv{tools().burrowd, "-D", "-e", "-p", port, "-f", config_path};
    for (const std::string& host_key : settings.host_keys) {
        argv.insert(argv.end(), {"-h", host_key});
    }
    append_options(argv, settings.options);
    return argv;
}

std::vector<std::string> openssh_login(uint16_t port, const std::string& identity,
                                       const std::string& user,
                                       const std::vector<std::string>& extra,
                                       const std::string& remote_command)
{
    std::vector<std::string> argv = {tools().ssh,
                                     "-F",
                                     "/dev/null",
                                     "-o",
                                     "LogLevel=ERROR",
                                     "-p",
                                     std::to_string(port),
                                     "-i",
                                     identity,
                                     "-o",
                                     "IdentitiesOnly=yes",
                                     "-o",
                                     "StrictHostKeyChecking=no",
                                     "-o",
                                     "UserKnownHostsFile=/dev/null",
                                     "-o",
                                     "GlobalKnownHostsFile=/dev/null",
                                     "-o",
                                     "BatchMode=yes"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(user + "@127.0.0.1");
    argv.push_back(remote_command);
    return argv;
}

std::string Server::log() const
{
    return read_text(m_log_path);
}

std::vector<std::string> client_command(ClientKind kind, uint16_t port,
                                        const ClientOptions& options,
                                        const std::string& remote_command)
{
    std::vector<std::string> argv;
    if (kind == ClientKind::openssh) {
        // -F /dev/null: no user or system configuration may change what is tested.
        argv = {tools().ssh, "-F", "/dev/null", "-o", "IdentityAgent=none", "-o", "LogLevel=ERROR"};
    } else {
        argv = {tools().burrow};
    }
    const std::vector<std::string> common{
        "-p", std::to_string(port),
        "-i", options.identity,
        "-o", "IdentitiesOnly=yes",
        "-o", "StrictHostKeyChecking=" + options.strict_host_key_checking,
        "-o", "UserKnownHostsFile=" + options.known_hosts,
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes"};
    argv.insert(argv.end(), common.begin(), common.end());
    if (!options.cipher.empty()) {
        argv.push_back("-c");
        argv.push_back(options.cipher);
    }
    argv.insert(argv.end(), options.extra.begin(), options.extra.end());
    argv.push_back(login_user() + "@127.0.0.1");
    argv.push_back(remote_command);
    return argv;
}

const std::string& bulk_input_file()
{
    static const TempDir dir;
    static const std::string path = [] {
        const std::string file = dir.file("bulk.bin");
        const std::string mib = env_or("INTEROP_BULK_MIB", "100");
        const std::vector<std::string> argv{"head", "-c", std::to_string(std::stoul(mib) << 20),
                                            "/dev/urandom"};
        const RunResult result =
            run(argv, RunOptions{dir.path(), std::chrono::seconds(120), "/dev/null", file});
        if (result.exit_code != 0) {
            throw std::runtime_error("cannot create bulk input: " + describe(argv, result));
        }
        return file;
    }();
    return path;
}

const std::string& random_file(unsigned mib)
{
    static const TempDir dir;
    static std::map<unsigned, std::string> made;
    const auto found = made.find(mib);
    if (found != made.end()) {
        return found->second;
    }
    const std::string file = dir.file("random-" + std::to_string(mib) + "MiB.bin");
    const std::vector<std::string> argv{"head", "-c", std::to_string(uint64_t{mib} << 20),
                                        "/dev/urandom"};
    const RunResult result =
        run(argv, RunOptions{dir.path(), std::chrono::seconds(120), "/dev/null", file});
    if (result.exit_code != 0 || file_size(file) != (uint64_t{mib} << 20)) {
        throw std::runtime_error("cannot create random input: " + describe(argv, result));
    }
    return made.emplace(mib, file).first->second;
}

std::string sha256_fingerprint_of(const std::string& public_path, const std::string& scratch_dir)
{
    const std::vector<std::string> argv{tools().ssh_keygen, "-l", "-E",
                                        "sha256",           "-f", public_path};
    const RunResult result = run(argv, RunOptions{scratch_dir});
    for (const std::string& word : split_words(result.out)) {
        if (word.rfind("SHA256:", 0) == 0) {
            return word;
        }
    }
    throw std::runtime_error("no fingerprint: " + describe(argv, result));
}

}  // namespace burrow::interop_test
