#include "client/host_verifier.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>

#include "client/known_hosts.h"
#include "crypto/keys.h"

namespace burrow::client {

namespace {

/// Ask on the controlling terminal; nullopt when there is none (no one to ask).
std::optional<std::string> read_tty_line(std::string_view prompt)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    if (::write(fd, prompt.data(), prompt.size()) < 0) {
        ::close(fd);
        return std::nullopt;
    }
    std::string line;
    char c = 0;
    bool got_any = false;
    while (true) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0 || c == '\n') {
            got_any = got_any || n > 0;
            break;
        }
        got_any = true;
        if (line.size() < 1024) {
            line.push_back(c);
        }
    }
    ::close(fd);
    if (!got_any) {
        return std::nullopt;
    }
    return line;
}

std::string lowercase(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

const char* const box_rule = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";

}  // namespace

std::string key_type_display_name(std::string_view key_type)
{
    if (key_type == "ssh-ed25519") {
        return "ED25519";
    }
    if (key_type == "ssh-rsa") {
        return "RSA";
    }
    if (key_type.starts_with("ecdsa-sha2-")) {
        return "ECDSA";
    }
    if (key_type == "ssh-dss") {
        return "DSA";
    }
    return std::string(key_type);
}

HostVerifier::HostVerifier(const Settings& settings, const Logger& log)
    : m_settings(settings), m_log(log), m_name(known_hosts_name(settings.host, settings.port))
{
}

bool HostVerifier::verify(ByteView key_blob) const
{
    const std::string type = key_type_of_blob(key_blob);
    const std::string fingerprint = crypto::fingerprint_sha256(key_blob);
    const std::string shown = key_type_display_name(type);
    m_log.debug1("Server host key: " + type + " " + fingerprint);

    const HostKeyLookup lookup = load_known_hosts().check(m_name, key_blob);
    switch (lookup.status) {
        case HostKeyStatus::known:
            m_log.debug1("Host '" + m_name + "' is known and matches the " + shown + " host key.");
            m_log.debug1("Found key in " + lookup.file + ":" + std::to_string(lookup.line));
            return true;
        case HostKeyStatus::revoked:
            report_revoked(lookup, shown, fingerprint);
            m_log.error("Host key verification failed.");
            return false;
        case HostKeyStatus::changed:
            report_changed(lookup, shown, fingerprint);
            if (m_settings.strict_host_key_checking == StrictHostKeyChecking::no) {
                // ssh_config(5): with "no"/"off" a changed key lets the
                // connection proceed; burrow offers no password or forwarding
                // that would need restricting.
                m_log.error("StrictHostKeyChecking is off: continuing anyway.");
                return true;
            }
            m_log.error("Host key verification failed.");
            return false;
        case HostKeyStatus::unknown:
            break;
    }
    if (!lookup.other_key_types.empty()) {
        m_log.debug1("Other key types are recorded for " + m_name + "; this " + shown +
                     " key is new.");
    }
    return on_unknown(key_blob, fingerprint);
}

std::vector<std::string> HostVerifier::recorded_key_types() const
{
    return load_known_hosts().key_types_for(m_name);
}

KnownHosts HostVerifier::load_known_hosts() const
{
    KnownHosts known;
    for (const auto* files :
         {&m_settings.user_known_hosts_files, &m_settings.global_known_hosts_files}) {
        for (const std::string& file : *files) {
            if (known.load_file(file)) {
                m_log.debug2("loaded known hosts from " + file);
            }
        }
    }
    return known;
}

void HostVerifier::report_revoked(const HostKeyLookup& lookup, const std::string& shown,
                                  const std::string& fingerprint) const
{
    m_log.error(box_rule);
    m_log.error("@       WARNING: REVOKED HOST KEY DETECTED!               @");
    m_log.error(box_rule);
    m_log.error("The " + shown + " key offered by " + m_name + " (" + fingerprint +
                ") is marked @revoked in " + lookup.file + ":" + std::to_string(lookup.line) +
                ". It will never be accepted.");
}

void HostVerifier::report_changed(const HostKeyLookup& lookup, const std::string& shown,
                                  const std::string& fingerprint) const
{
    m_log.error(box_rule);
    m_log.error("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
    m_log.error(box_rule);
    m_log.error("The " + shown + " host key of " + m_name + " differs from the one on record.");
    m_log.error("Either the server's key was replaced, or someone is intercepting");
    m_log.error("this connection (a man-in-the-middle attack) right now.");
    m_log.error("Key offered now:  " + fingerprint);
    m_log.error("Key on record:    " + crypto::fingerprint_sha256(lookup.recorded_key));
    m_log.error("Recorded at:      " + lookup.file + ":" + std::to_string(lookup.line));
    m_log.error("If the change is expected, delete that line (ssh-keygen -R \"" + m_name +
                "\" can do it) and connect again.");
}

bool HostVerifier::on_unknown(ByteView key_blob, const std::string& fingerprint) const
{
    const std::string shown = key_type_display_name(key_type_of_blob(key_blob));
    switch (m_settings.strict_host_key_checking) {
        case StrictHostKeyChecking::no:
        case StrictHostKeyChecking::accept_new:
            record(key_blob);
            return true;
        case StrictHostKeyChecking::yes:
            m_log.error("No " + shown + " host key is recorded for " + m_name +
                        " and strict host key checking is on.");
            m_log.error("Host key verification failed.");
            return false;
        case StrictHostKeyChecking::ask:
            break;
    }
    if (m_settings.batch_mode || !ask_user(shown, fingerprint)) {
        m_log.error("Host key verification failed.");
        return false;
    }
    record(key_blob);
    return true;
}

bool HostVerifier::ask_user(std::string_view key_name, const std::string& fingerprint) const
{
    std::string prompt = "The identity of host '" + m_name + "' cannot be confirmed: it is not\n" +
                         "in your known hosts files. Its " + std::string(key_name) +
                         " key fingerprint is " + fingerprint +
                         ".\nTrust it and connect (yes/no/[fingerprint])? ";
    while (true) {
        const auto answer = read_tty_line(prompt);
        if (!answer) {
            return false;  // no terminal: nobody can confirm
        }
        const std::string a = lowercase(*answer);
        if (a == "yes" || *answer == fingerprint) {
            return true;
        }
        if (a == "no") {
            return false;
        }
        prompt = "Please type 'yes', 'no' or the fingerprint: ";
    }
}

void HostVerifier::record(ByteView key_blob) const
{
    const std::string shown = key_type_display_name(key_type_of_blob(key_blob));
    if (m_settings.user_known_hosts_files.empty()) {
        m_log.info("Warning: no known hosts file to record the " + shown + " key of '" + m_name +
                   "' in.");
        return;
    }
    const std::string& file = m_settings.user_known_hosts_files.front();
    if (auto error = append_known_host(file, m_name, key_blob)) {
        m_log.info("Failed to record the host key: " + *error);
        return;
    }
    m_log.info("Warning: recorded the " + shown + " key of '" + m_name + "' in " + file + ".");
}

}  // namespace burrow::client
