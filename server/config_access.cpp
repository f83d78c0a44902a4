// Issue F keywords: AddressFamily, UseDNS, SyslogFacility, ChrootDirectory,
// AllowUsers/DenyUsers/AllowGroups/DenyGroups, and the keywords of features
// burrowd does not have (accepted only with the value that leaves them off).
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "server/config.h"
#include "server/config_checks.h"
#include "server/config_dump.h"
#include "server/text_case.h"

namespace burrow::server {

namespace {

/// A keyword for a feature burrowd lacks: only `off` (case-insensitive) is
/// accepted; a value in `on` is refused naming the feature.
struct Unsupported {
    const char* key;
    const char* off;
    std::array<const char*, 3> on;
    const char* feature;
};

/// sshd_config(5) keywords of features burrowd does not implement.
constexpr std::array<Unsupported, 12> unsupported = {{
    {"x11forwarding", "no", {"yes"}, "X11 forwarding"},
    {"permittunnel", "no", {"yes", "point-to-point", "ethernet"}, "tun device forwarding"},
    {"gssapiauthentication", "no", {"yes"}, "GSSAPI authentication"},
    {"kerberosauthentication", "no", {"yes"}, "Kerberos authentication"},
    {"hostbasedauthentication", "no", {"yes"}, "host-based authentication"},
    {"permituserrc", "no", {"yes"}, "~/.ssh/rc support"},
    {"exposeauthinfo", "no", {"yes"}, "ExposeAuthInfo support"},
    // IgnoreRhosts: burrowd never reads .rhosts/.shosts, i.e. always "yes".
    {"ignorerhosts", "yes", {"no", "shosts-only"}, ".rhosts/.shosts authentication"},
    {"authorizedkeyscommand", "none", {}, "AuthorizedKeysCommand support"},
    {"authorizedprincipalsfile", "none", {}, "certificate authentication"},
    {"trustedusercakeys", "none", {}, "certificate authentication"},
    {"revokedkeys", "none", {}, "RevokedKeys support"},
}};

/// syslog(3) facilities sshd_config(5) SyslogFacility names.
constexpr std::array<const char*, 12> facilities = {"DAEMON", "USER",   "AUTH",   "AUTHPRIV",
                                                    "LOCAL0", "LOCAL1", "LOCAL2", "LOCAL3",
                                                    "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7"};

void apply_unsupported(const Unsupported& u, const std::string& keyword,
                       const std::vector<std::string>& args, std::string_view where)
{
    require_args(args, 1, 1, keyword, where);
    const std::string value = lower_case(args[0]);
    if (value == u.off) {
        return;
    }
    const bool named =
        std::any_of(u.on.begin(), u.on.end(), [&](const char* on) { return on && value == on; });
    if (named || std::string_view(u.off) == "none") {
        config_fail(where, keyword + " " + args[0] + ": burrowd has no " + u.feature);
    }
    config_fail(where, "bad " + keyword + " value \"" + args[0] + "\"");
}

/// ChrootDirectory tokens: %h, %u, %% (sshd_config(5) TOKENS).
bool valid_chroot_tokens(std::string_view path)
{
    for (size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '%') {
            continue;
        }
        if (i + 1 == path.size() ||
            std::string_view("hu%").find(path[i + 1]) == std::string_view::npos) {
            return false;
        }
        ++i;
    }
    return true;
}

std::optional<std::vector<std::string>> RawConfig::*list_slot(const std::string& key)
{
    if (key == "allowusers") {
        return &RawConfig::allow_users;
    }
    if (key == "denyusers") {
        return &RawConfig::deny_users;
    }
    if (key == "allowgroups") {
        return &RawConfig::allow_groups;
    }
    if (key == "denygroups") {
        return &RawConfig::deny_groups;
    }
    return nullptr;
}

/// Store `value` unless a value was already obtained (first wins); a
/// missing value is the error `what`.
template <typename T>
void set_first(std::optional<T>& slot, std::optional<T> value, const std::string& what,
               std::string_view where)
{
    if (!value) {
        config_fail(where, what);
    }
    if (!slot) {
        slot = std::move(value);
    }
}

std::optional<AddressFamily> parse_address_family(const std::string& arg)
{
    const std::string value = lower_case(arg);
    return value == "any"     ? std::optional(AddressFamily::any)
           : value == "inet"  ? std::optional(AddressFamily::inet)
           : value == "inet6" ? std::optional(AddressFamily::inet6)
                              : std::nullopt;
}

/// The facility name in upper case, nullopt if not one of `facilities`.
std::optional<std::string> parse_facility(const std::string& arg)
{
    std::string upper = arg;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (std::none_of(facilities.begin(), facilities.end(),
                     [&](const char* f) { return upper == f; })) {
        return std::nullopt;
    }
    return upper;
}

}  // namespace

bool ConfigParser::apply_access_keyword(const std::string& key, const std::string& keyword,
                                        const std::vector<std::string>& args,
                                        std::string_view where)
{
    for (const Unsupported& u : unsupported) {
        if (key == u.key) {
            apply_unsupported(u, keyword, args, where);
            return true;
        }
    }
    if (const auto slot = list_slot(key)) {
        // Several lines accumulate (list keyword: see ConfigParser::apply).
        require_args(args, 1, 4096, keyword, where);
        std::optional<std::vector<std::string>>& list = m_raw.*slot;
        if (!list) {
            list.emplace();
        }
        list->insert(list->end(), args.begin(), args.end());
        return true;
    }
    if (key != "addressfamily" && key != "usedns" && key != "syslogfacility" &&
        key != "chrootdirectory") {
        return false;
    }
    require_args(args, 1, 1, keyword, where);
    const std::string& arg = args[0];
    if (key == "addressfamily") {
        set_first(m_raw.address_family, parse_address_family(arg),
                  "unsupported option \"" + arg + "\" for \"" + keyword + "\"", where);
    } else if (key == "usedns") {
        set_first(m_raw.use_dns, parse_yes_no(arg), "bad " + keyword + " value \"" + arg + "\"",
                  where);
    } else if (key == "syslogfacility") {
        set_first(m_raw.syslog_facility, parse_facility(arg),
                  "unsupported log facility \"" + arg + "\"", where);
    } else {
        const bool none = lower_case(arg) == "none";
        if (!none && !valid_chroot_tokens(arg)) {
            config_fail(where, "bad ChrootDirectory \"" + arg + "\": only %h, %u and %% expand");
        }
        set_first(m_raw.chroot_directory, std::optional(none ? std::string() : arg), "", where);
    }
    return true;
}

void resolve_access(const RawConfig& raw, ServerConfig& out)
{
    out.address_family = raw.address_family.value_or(AddressFamily::any);
    out.use_dns = raw.use_dns.value_or(false);
    if (raw.chroot_directory && !raw.chroot_directory->empty()) {
        out.session.chroot_directory = raw.chroot_directory;
    }
    const std::vector<std::string> none;
    out.access.allow_users = raw.allow_users.value_or(none);
    out.access.deny_users = raw.deny_users.value_or(none);
    out.access.allow_groups = raw.allow_groups.value_or(none);
    out.access.deny_groups = raw.deny_groups.value_or(none);
}

std::vector<ListenAddress> listen_addresses(const RawConfig& raw)
{
    const AddressFamily family = raw.address_family.value_or(AddressFamily::any);
    if (raw.listen_addresses.empty()) {
        // sshd(8) listens on every address of the allowed families.
        std::vector<ListenAddress> out;
        if (family != AddressFamily::inet6) {
            out.push_back(ListenAddress{"0.0.0.0", std::nullopt});
        }
        if (family != AddressFamily::inet) {
            out.push_back(ListenAddress{"::", std::nullopt});
        }
        return out;
    }
    for (const ListenAddress& a : raw.listen_addresses) {
        in6_addr v6{};
        in_addr v4{};
        if (family == AddressFamily::inet && inet_pton(AF_INET6, a.host.c_str(), &v6) == 1) {
            throw ConfigError("ListenAddress " + a.host + " is IPv6 but AddressFamily is inet");
        }
        if (family == AddressFamily::inet6 && inet_pton(AF_INET, a.host.c_str(), &v4) == 1) {
            throw ConfigError("ListenAddress " + a.host + " is IPv4 but AddressFamily is inet6");
        }
    }
    return raw.listen_addresses;
}

void dump_unsupported_keywords(ConfigDumpLines& out)
{
    for (const Unsupported& u : unsupported) {
        out.emplace_back(u.key, u.off);
    }
}

}  // namespace burrow::server
