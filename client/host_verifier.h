// The client's host key policy: known_hosts lookup plus ssh_config(5)
// StrictHostKeyChecking / BatchMode, with the user-facing messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/known_hosts.h"
#include "client/log.h"
#include "client/options.h"
#include "crypto/bytes.h"

namespace burrow::client {

/// Short display name of a key type: "ED25519", "RSA", "ECDSA".
std::string key_type_display_name(std::string_view key_type);

/// Decides whether to trust a server's host key (already proven by its
/// signature over the exchange hash, RFC 4253 §8).
class HostVerifier {
public:
    HostVerifier(const Settings& settings, const Logger& log);

    /// True to continue the connection. Unknown keys may be recorded in the
    /// first user known_hosts file, depending on StrictHostKeyChecking.
    bool verify(ByteView key_blob) const;

    /// Key types the known_hosts files hold for this host and port.
    std::vector<std::string> recorded_key_types() const;

private:
    KnownHosts load_known_hosts() const;
    void report_revoked(const HostKeyLookup& lookup, const std::string& shown,
                        const std::string& fingerprint) const;
    void report_changed(const HostKeyLookup& lookup, const std::string& shown,
                        const std::string& fingerprint) const;
    bool on_unknown(ByteView key_blob, const std::string& fingerprint) const;
    bool ask_user(std::string_view key_name, const std::string& fingerprint) const;
    void record(ByteView key_blob) const;

    const Settings& m_settings;
    const Logger& m_log;
    std::string m_name;  ///< known_hosts lookup name for host and port
};

}  // namespace burrow::client
