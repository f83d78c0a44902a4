// OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"):
// "[@marker] hostpatterns keytype base64 [comment]" lines, where host
// patterns are a comma list with wildcards and negation, "[host]:port" for
// non-default ports, or one hashed name "|1|base64 salt|base64 HMAC-SHA1".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace burrow::client {

/// One usable known_hosts line.
struct KnownHostEntry {
    enum class Marker { none, revoked, cert_authority };
    Marker marker = Marker::none;
    std::string hosts;     ///< the host field as written
    std::string key_type;  ///< from the key blob
    Bytes key_blob;
    std::string file;  ///< where it came from, for messages
    size_t line = 0;
};

/// The name looked up for a host: "host" on port 22, "[host]:port" otherwise.
std::string known_hosts_name(std::string_view host, uint16_t port);

/// Whether a host field (pattern list or hashed name) matches `name`.
/// A matching negated pattern makes the whole field not match.
bool host_field_matches(std::string_view field, std::string_view name);

/// Parse one line; nullopt for comments, blank and unusable lines.
std::optional<KnownHostEntry> parse_known_hosts_line(std::string_view line);

/// The key type string at the start of a public key blob ("" if malformed).
std::string key_type_of_blob(ByteView blob);

/// Outcome of looking up a host key.
enum class HostKeyStatus { known, unknown, changed, revoked };

struct HostKeyLookup {
    HostKeyStatus status = HostKeyStatus::unknown;
    /// known: the matching line; changed: the first conflicting line;
    /// revoked: the @revoked line.
    std::string file;
    size_t line = 0;
    /// The key on that line.
    Bytes recorded_key;
    /// Key types recorded for this host other than the offered key's type.
    std::vector<std::string> other_key_types;
};

/// The entries of one or more known_hosts files.
class KnownHosts {
public:
    /// Add a file's lines; a missing or unreadable file adds nothing.
    /// Returns false if the file could not be read.
    bool load_file(const std::string& path);
    /// Add lines from text; `origin` names them in messages.
    void add_text(std::string_view text, std::string_view origin);

    /// Look `key_blob` up for `name` (from known_hosts_name()).
    HostKeyLookup check(std::string_view name, ByteView key_blob) const;

    /// Key types on record for `name` (no @revoked or @cert-authority
    /// lines), each once, in file order. The client puts these first in its
    /// host key algorithms so a known host shows the key we hold.
    std::vector<std::string> key_types_for(std::string_view name) const;

    size_t size() const { return m_entries.size(); }

private:
    std::vector<KnownHostEntry> m_entries;
};

/// Append "name keytype base64" to `path`, creating the file and, if
/// missing, its parent directory (mode 0700, as for ~/.ssh).
/// Returns an error message on failure.
std::optional<std::string> append_known_host(const std::string& path, std::string_view name,
                                             ByteView key_blob);

}  // namespace burrow::client
