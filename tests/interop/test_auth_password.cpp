// Password and keyboard-interactive authentication against burrowd, and the
// sshd_config(5) authentication policy: OpenSSH ssh and PuTTY plink log in as
// a test user with a known password (created here; the tests need root),
// through the shadow file (UsePAM no) and PAM (UsePAM yes, when the
// /etc/pam.d/burrowd service file is installed or can be installed);
// AuthenticationMethods with two factors, PermitRootLogin no, MaxAuthTries and
// LoginGraceTime, each checked by behaviour and by sshd's log lines.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr const char* test_user = "burrowtest";
constexpr const char* test_password = "Corr3ct-h0rse-battery";
constexpr auto command_timeout = std::chrono::seconds(60);

RunResult run_logged(const std::vector<std::string>& argv, const RunOptions& options)
{
    const RunResult result = run(argv, options);
    UNSCOPED_INFO(describe(argv, result));
    return result;
}

/// Creates the test user if needed and sets its password (the tests run as root, as in CI).
void ensure_test_user(const TempDir& dir)
{
    if (geteuid() != 0) {
        FAIL("password tests must run as root (to create the user " << test_user
                                                                    << "), as they do in CI");
    }
    if (getpwnam(test_user) == nullptr) {
        REQUIRE(run_logged({"useradd", "-m", "-s", "/bin/sh", test_user}, RunOptions{dir.path()})
                    .exit_code == 0);
    }
    const std::string input = dir.file("chpasswd.in");
    write_text(input, std::string(test_user) + ":" + test_password + "\n");
    REQUIRE(run_logged({"chpasswd"}, RunOptions{dir.path(), command_timeout, input}).exit_code ==
            0);
}

/// The PAM service file is in place (installed from the source tree when
/// missing, which needs root and BURROW_SOURCE_ROOT, as in CI).
void ensure_pam_service()
{
    const std::string installed = "/etc/pam.d/burrowd";
    if (std::filesystem::exists(installed)) {
        return;
    }
    const std::string source = env_or("BURROW_SOURCE_ROOT", "");
    if (source.empty() || geteuid() != 0) {
        FAIL("no " << installed
                   << ": the PAM tests install it from BURROW_SOURCE_ROOT/server/pam.d/burrowd, "
                      "which needs root and BURROW_SOURCE_ROOT set (meson test sets it)");
    }
    std::filesystem::copy_file(source + "/server/pam.d/burrowd", installed);
}

/// A script printing @p password, for SSH_ASKPASS.
std::string askpass_script(const TempDir& dir, const std::string& name, const std::string& password)
{
    const std::string path = dir.file(name);
    write_text(path, "#!/bin/sh\nprintf '%s\\n' '" + password + "'\n", 0755);
    return path;
}

/// OpenSSH ssh as @p user running `id -un`, answering password prompts
/// through SSH_ASKPASS (forced, no terminal needed).
std::vector<std::string> ssh_command(uint16_t port, const std::string& user,
                                     const std::string& askpass,
                                     const std::vector<std::string>& extra)
{
    std::vector<std::string> argv{"env",
                                  "SSH_ASKPASS=" + askpass,
                                  "SSH_ASKPASS_REQUIRE=force",
                                  "DISPLAY=:0",
                                  tools().ssh,
                                  "-F",
                                  "/dev/null",
                                  "-o",
                                  "IdentityAgent=none",
                                  "-o",
                                  "LogLevel=ERROR",
                                  "-p",
                                  std::to_string(port),
                                  "-o",
                                  "StrictHostKeyChecking=no",
                                  "-o",
                                  "UserKnownHostsFile=/dev/null",
                                  "-o",
                                  "GlobalKnownHostsFile=/dev/null"};
    // ssh takes the first value of an option: @p extra may override the default below.
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {"-o", "NumberOfPasswordPrompts=1"});
    argv.push_back(user + "@127.0.0.1");
    argv.push_back("id -un");
    return argv;
}

/// burrow as @p user running `id -un` with only @p method, prompts answered through SSH_ASKPASS.
std::vector<std::string> burrow_command(uint16_t port, const std::string& user,
                                        const std::string& askpass, const std::string& method)
{
    return {"env",
            "SSH_ASKPASS=" + askpass,
            "SSH_ASKPASS_REQUIRE=force",
            "DISPLAY=:0",
            tools().burrow,
            "-p",
            std::to_string(port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "PreferredAuthentications=" + method,
            "-o",
            "NumberOfPasswordPrompts=1",
            user + "@127.0.0.1",
            "id -un"};
}

std::vector<std::string> password_only(const std::string& method)
{
    return {"-o", "PreferredAuthentications=" + method, "-o", "PubkeyAuthentication=no"};
}

/// A burrowd with a host key and the given -o options.
struct PasswordHost {
    explicit PasswordHost(const std::vector<std::string>& options)
        : host_key(make_openssh_key(dir, "host_key")),
          server(ServerKind::burrowd, dir,
                 ServerSettings{{host_key.private_path}, dir.file("authorized_keys"), options})
    {
    }
    TempDir dir;
    KeyPair host_key;
    Server server;
};

bool log_has(Server& server, const std::string& text, Clock::duration timeout)
{
    return wait_until([&] { return server.log().find(text) != std::string::npos; }, timeout);
}

void check_password_login(const std::string& use_pam, const std::string& method,
                          ClientKind client = ClientKind::openssh)
{
    TempDir scratch;
    ensure_test_user(scratch);
    PasswordHost host({"UsePAM=" + use_pam});
    const std::string good = askpass_script(host.dir, "good", test_password);
    const std::string bad = askpass_script(host.dir, "bad", "not-the-password");
    const auto command = [&](const std::string& askpass) {
        return client == ClientKind::openssh
                   ? ssh_command(host.server.port(), test_user, askpass, password_only(method))
                   : burrow_command(host.server.port(), test_user, askpass, method);
    };
    const RunResult ok = run_logged(command(good), RunOptions{host.dir.path(), command_timeout});
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == std::string(test_user) + "\n");
    const std::string logged = method == "password" ? "password"
                               : use_pam == "yes"   ? "keyboard-interactive/pam"
                                                    : "keyboard-interactive";
    CHECK(log_has(host.server, "Accepted " + logged + " for " + test_user + " from 127.0.0.1",
                  std::chrono::seconds(10)));
    const RunResult refused =
        run_logged(command(bad), RunOptions{host.dir.path(), command_timeout});
    CHECK(refused.exit_code != 0);
    CHECK(log_has(host.server, "Failed " + logged + " for " + test_user + " from 127.0.0.1",
                  std::chrono::seconds(10)));
    const std::string log = host.server.log();
    CHECK(log.find(test_password) == std::string::npos);
    CHECK(log.find("not-the-password") == std::string::npos);
    UNSCOPED_INFO(tail(log));
}

}  // namespace

TEST_CASE("ssh -> burrowd: password and keyboard-interactive via the shadow file",
          "[interop][auth][password]")
{
    SECTION("password")
    {
        check_password_login("no", "password");
    }
    SECTION("keyboard-interactive")
    {
        check_password_login("no", "keyboard-interactive");
    }
}

TEST_CASE("ssh -> burrowd: password and keyboard-interactive via PAM", "[interop][auth][pam]")
{
    ensure_pam_service();
    SECTION("password")
    {
        check_password_login("yes", "password");
    }
    SECTION("keyboard-interactive")
    {
        check_password_login("yes", "keyboard-interactive");
    }
}

TEST_CASE("keyboard-interactive through PAM: unknown users see the same conversation",
          "[interop][auth][pam]")
{
    TempDir scratch;
    ensure_test_user(scratch);
    ensure_pam_service();
    PasswordHost host({"UsePAM=yes"});
    // Answers every prompt wrongly and notes the prompt (ssh passes it as $1).
    const std::string prompts = host.dir.file("prompts.log");
    const std::string script = host.dir.file("askpass-log");
    write_text(script, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + prompts + "'\necho wrong\n", 0755);
    const auto asked = [&](const std::string& user) {
        std::filesystem::remove(prompts);
        const RunResult result = run_logged(
            ssh_command(host.server.port(), user, script, password_only("keyboard-interactive")),
            RunOptions{host.dir.path(), command_timeout});
        CHECK(result.exit_code == 255);
        std::string text = read_text(prompts);
        // OpenSSH shows "(user@host) " before a keyboard-interactive prompt.
        for (size_t at = text.find(user); at != std::string::npos; at = text.find(user)) {
            text.replace(at, user.size(), "USER");
        }
        return text;
    };
    const std::string known = asked(test_user);
    const std::string unknown = asked("nosuchuser-burrow");
    CHECK_THAT(known, Catch::Contains("Password: "));
    CHECK(known == unknown);
    CHECK(log_has(host.server,
                  std::string("Failed keyboard-interactive/pam for ") + test_user + " from",
                  std::chrono::seconds(10)));
    CHECK(log_has(host.server,
                  "Failed keyboard-interactive/pam for invalid user nosuchuser-burrow from",
                  std::chrono::seconds(10)));
}

TEST_CASE("burrow -> burrowd: password and keyboard-interactive", "[interop][auth][password]")
{
    SECTION("password, shadow")
    {
        check_password_login("no", "password", ClientKind::burrow);
    }
    SECTION("keyboard-interactive, shadow")
    {
        check_password_login("no", "keyboard-interactive", ClientKind::burrow);
    }
    ensure_pam_service();
    SECTION("password, PAM")
    {
        check_password_login("yes", "password", ClientKind::burrow);
    }
    SECTION("keyboard-interactive, PAM")
    {
        check_password_login("yes", "keyboard-interactive", ClientKind::burrow);
    }
}

TEST_CASE("unknown users get the same reply and are logged as invalid", "[interop][auth]")
{
    TempDir scratch;
    ensure_test_user(scratch);
    PasswordHost host({"UsePAM=no"});
    const std::string bad = askpass_script(host.dir, "bad", "whatever");
    const RunResult result = run_logged(
        ssh_command(host.server.port(), "nosuchuser-burrow", bad, password_only("password")),
        RunOptions{host.dir.path(), command_timeout});
    CHECK(result.exit_code == 255);
    CHECK_THAT(result.err, Catch::Contains("Permission denied"));
    CHECK(log_has(host.server, "Invalid user nosuchuser-burrow from 127.0.0.1 port",
                  std::chrono::seconds(10)));
    CHECK(log_has(host.server, "Failed password for invalid user nosuchuser-burrow from 127.0.0.1",
                  std::chrono::seconds(10)));
}

TEST_CASE("AuthenticationMethods publickey,password needs both factors", "[interop][auth]")
{
    TempDir scratch;
    ensure_test_user(scratch);
    const passwd* const pw = getpwnam(test_user);
    REQUIRE(pw != nullptr);
    PasswordHost host({"UsePAM=no", "AuthenticationMethods=publickey,password",
                       "AuthorizedKeysFile=.ssh/authorized_keys"});
    // The user's own authorized_keys, owned by the user as StrictModes wants.
    const KeyPair key = make_openssh_key(host.dir, "user_key");
    const std::string ssh_dir = std::string(pw->pw_dir) + "/.ssh";
    std::filesystem::create_directories(ssh_dir);
    write_text(ssh_dir + "/authorized_keys", key.public_blob_line() + "\n");
    REQUIRE(chown(ssh_dir.c_str(), pw->pw_uid, pw->pw_gid) == 0);
    REQUIRE(chmod(ssh_dir.c_str(), 0700) == 0);
    REQUIRE(chown((ssh_dir + "/authorized_keys").c_str(), pw->pw_uid, pw->pw_gid) == 0);
    const std::string good = askpass_script(host.dir, "good", test_password);
    const std::vector<std::string> with_key{"-i", key.private_path, "-o", "IdentitiesOnly=yes"};

    std::vector<std::string> key_only = with_key;
    key_only.insert(key_only.end(), {"-o", "PreferredAuthentications=publickey"});
    CHECK(run_logged(ssh_command(host.server.port(), test_user, good, key_only),
                     RunOptions{host.dir.path(), command_timeout})
              .exit_code == 255);
    CHECK(run_logged(ssh_command(host.server.port(), test_user, good, password_only("password")),
                     RunOptions{host.dir.path(), command_timeout})
              .exit_code == 255);

    std::vector<std::string> both = with_key;
    both.insert(both.end(), {"-o", "PreferredAuthentications=publickey,password"});
    const RunResult ok = run_logged(ssh_command(host.server.port(), test_user, good, both),
                                    RunOptions{host.dir.path(), command_timeout});
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == std::string(test_user) + "\n");
    CHECK(log_has(host.server, std::string("Partial publickey for ") + test_user,
                  std::chrono::seconds(10)));
    CHECK(log_has(host.server, std::string("Accepted password for ") + test_user,
                  std::chrono::seconds(10)));
    UNSCOPED_INFO(tail(host.server.log()));
}

TEST_CASE("PermitRootLogin no refuses root's authorized key", "[interop][auth]")
{
    if (geteuid() != 0) {
        FAIL("must run as root (to log in as root), as the interop tests do in CI");
    }
    ServedHost served(ServerKind::burrowd);
    ClientOptions client;
    client.identity = served.user_key.private_path;
    client.known_hosts = served.dir.file("known_hosts");
    const auto try_login = [&](Server& server) {
        return run_logged(client_command(ClientKind::openssh, server.port(), client, "true"),
                          RunOptions{served.dir.path(), command_timeout});
    };
    // Control: the default (prohibit-password) lets root in with the key.
    CHECK(try_login(served.server).exit_code == 0);
    Server refusing(
        ServerKind::burrowd, served.dir,
        ServerSettings{
            {served.host_key.private_path}, served.authorized_keys, {"PermitRootLogin=no"}});
    CHECK(try_login(refusing).exit_code == 255);
    CHECK(log_has(refusing, "ROOT LOGIN REFUSED FROM 127.0.0.1", std::chrono::seconds(10)));
    CHECK(log_has(refusing, "Failed publickey for root from 127.0.0.1", std::chrono::seconds(10)));
}

TEST_CASE("PermitRootLogin forced-commands-only needs a command= key", "[interop][auth]")
{
    if (geteuid() != 0) {
        FAIL("must run as root (to log in as root), as the interop tests do in CI");
    }
    ServedHost served(ServerKind::burrowd);
    ClientOptions client;
    client.identity = served.user_key.private_path;
    client.known_hosts = served.dir.file("known_hosts");
    const std::vector<std::string> options{"PermitRootLogin=forced-commands-only"};
    Server plain(ServerKind::burrowd, served.dir,
                 ServerSettings{{served.host_key.private_path}, served.authorized_keys, options});
    CHECK(run_logged(client_command(ClientKind::openssh, plain.port(), client, "true"),
                     RunOptions{served.dir.path(), command_timeout})
              .exit_code == 255);
    CHECK(log_has(plain, "ROOT LOGIN REFUSED FROM 127.0.0.1", std::chrono::seconds(10)));
    const std::string forced_keys = served.dir.file("forced_keys");
    write_text(forced_keys, "command=\"echo forced\" " + served.user_key.public_blob_line() + "\n",
               0644);
    Server forced(ServerKind::burrowd, served.dir,
                  ServerSettings{{served.host_key.private_path}, forced_keys, options});
    const RunResult result =
        run_logged(client_command(ClientKind::openssh, forced.port(), client, "id -un"),
                   RunOptions{served.dir.path(), command_timeout});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "forced\n");
}

TEST_CASE("MaxAuthTries 2 disconnects after two failures", "[interop][auth]")
{
    TempDir scratch;
    ensure_test_user(scratch);
    PasswordHost host({"UsePAM=no", "MaxAuthTries=2"});
    const std::string bad = askpass_script(host.dir, "bad", "wrong");
    std::vector<std::string> extra = password_only("password");
    extra.insert(extra.end(), {"-o", "NumberOfPasswordPrompts=5"});
    const RunResult result = run_logged(ssh_command(host.server.port(), test_user, bad, extra),
                                        RunOptions{host.dir.path(), command_timeout});
    CHECK(result.exit_code == 255);
    CHECK_THAT(result.err, Catch::Contains("Too many authentication failures"));
    CHECK(log_has(host.server,
                  std::string("maximum authentication attempts exceeded for ") + test_user +
                      " from 127.0.0.1 port",
                  std::chrono::seconds(10)));
    CHECK(log_has(host.server,
                  std::string("Disconnecting authenticating user ") + test_user + " 127.0.0.1 port",
                  std::chrono::seconds(10)));
    const std::string log = host.server.log();
    const auto failures = [&] {
        size_t count = 0;
        for (size_t at = log.find("Failed password"); at != std::string::npos;
             at = log.find("Failed password", at + 1)) {
            ++count;
        }
        return count;
    }();
    CHECK(failures == 2);
}

TEST_CASE("LoginGraceTime 2 drops an idle client", "[interop][auth]")
{
    PasswordHost host({"LoginGraceTime=2"});
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(host.server.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
    // Read (and ignore) what the server sends until it closes the connection.
    const auto closed = [&] {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0) {
            return false;
        }
        char buffer[4096];
        return read(fd, buffer, sizeof(buffer)) <= 0;
    };
    const Clock::time_point start = Clock::now();
    const bool dropped = wait_until(closed, std::chrono::seconds(20));
    const auto waited = Clock::now() - start;
    close(fd);
    CHECK(dropped);
    CHECK(waited >= std::chrono::milliseconds(1500));
    CHECK(log_has(host.server, "Timeout before authentication for 127.0.0.1 port",
                  std::chrono::seconds(10)));
    UNSCOPED_INFO(tail(host.server.log()));
}

TEST_CASE("plink -pw -> burrowd", "[interop][auth][plink]")
{
    TempDir scratch;
    ensure_test_user(scratch);
    PasswordHost host({"UsePAM=no"});
    const std::string fingerprint =
        sha256_fingerprint_of(host.host_key.public_path, host.dir.path());
    const auto plink = [&](const std::string& password) {
        return run_logged({"env", "HOME=" + host.dir.path(), "plink", "-batch", "-ssh", "-P",
                           std::to_string(host.server.port()), "-l", test_user, "-pw", password,
                           "-hostkey", fingerprint, "-noagent", "127.0.0.1", "id -un"},
                          RunOptions{host.dir.path(), command_timeout});
    };
    const RunResult ok = plink(test_password);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == std::string(test_user) + "\n");
    CHECK(plink("wrong-password").exit_code != 0);
    // PuTTY answers -pw through keyboard-interactive when offered, else password.
    CHECK(wait_until(
        [&] {
            const std::string log = host.server.log();
            return log.find(std::string("Failed password for ") + test_user) != std::string::npos ||
                   log.find(std::string("Failed keyboard-interactive for ") + test_user) !=
                       std::string::npos;
        },
        std::chrono::seconds(10)));
    UNSCOPED_INFO(tail(host.server.log()));
}

TEST_CASE("plink -pw -> burrowd with password only", "[interop][auth][plink]")
{
    TempDir scratch;
    ensure_test_user(scratch);
    PasswordHost host({"UsePAM=no", "KbdInteractiveAuthentication=no"});
    const std::string fingerprint =
        sha256_fingerprint_of(host.host_key.public_path, host.dir.path());
    const RunResult ok =
        run_logged({"env", "HOME=" + host.dir.path(), "plink", "-batch", "-ssh", "-P",
                    std::to_string(host.server.port()), "-l", test_user, "-pw", test_password,
                    "-hostkey", fingerprint, "-noagent", "127.0.0.1", "id -un"},
                   RunOptions{host.dir.path(), command_timeout});
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == std::string(test_user) + "\n");
    CHECK(log_has(host.server, std::string("Accepted password for ") + test_user,
                  std::chrono::seconds(10)));
}

}  // namespace burrow::interop_test
