#include "server/config_match.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "server/config.h"
#include "server/config_checks.h"
#include "server/key_options.h"
#include "server/text_case.h"

namespace burrow::server {

namespace {

/// getgrouplist(3) needs a buffer; sshd caps groups at NGROUPS_MAX too.
constexpr int max_groups = 65536;

/// sshd_config(5) "Match": keywords allowed inside a Match block, of those
/// burrowd parses (lower case). sshd also allows AuthorizedPrincipalsFile,
/// RevokedKeys and IgnoreRhosts there; they wait for burrowd_config(5)'s
/// Match list (checked by the man-pages test) to name them too.
constexpr std::array<const char*, 48> match_keywords = {"acceptenv",
                                                        "allowagentforwarding",
                                                        "allowgroups",
                                                        "allowstreamlocalforwarding",
                                                        "allowtcpforwarding",
                                                        "allowusers",
                                                        "authenticationmethods",
                                                        "authorizedkeysfile",
                                                        "banner",
                                                        "chrootdirectory",
                                                        "clientalivecountmax",
                                                        "clientaliveinterval",
                                                        "denygroups",
                                                        "denyusers",
                                                        "disableforwarding",
                                                        "forcecommand",
                                                        "gatewayports",
                                                        "include",
                                                        "kbdinteractiveauthentication",
                                                        "challengeresponseauthentication",
                                                        "loglevel",
                                                        "maxauthtries",
                                                        "maxsessions",
                                                        "passwordauthentication",
                                                        "permitemptypasswords",
                                                        "permitlisten",
                                                        "permitopen",
                                                        "permitrootlogin",
                                                        "permittty",
                                                        "pubkeyacceptedalgorithms",
                                                        "pubkeyacceptedkeytypes",
                                                        "pubkeyauthentication",
                                                        "rekeylimit",
                                                        "streamlocalbindmask",
                                                        "streamlocalbindunlink",
                                                        "x11forwarding",
                                                        "permittunnel",
                                                        "gssapiauthentication",
                                                        "kerberosauthentication",
                                                        "hostbasedauthentication",
                                                        "permituserrc",
                                                        "exposeauthinfo",
                                                        "authorizedkeyscommand",
                                                        "trustedusercakeys",
                                                        "ignorerhosts",
                                                        "authorizedprincipalsfile",
                                                        "revokedkeys",
                                                        "setenv"};

bool one_matches(const MatchCriterion& c, const ConnectionInfo& conn,
                 const std::optional<std::vector<std::string>>& groups)
{
    using Kind = MatchCriterion::Kind;
    switch (c.kind) {
        case Kind::all:
            return true;
        case Kind::user:
            return match_name_list(c.patterns, conn.user) == ListMatch::match;
        case Kind::group:
            if (!groups) {
                return false;
            }
            // sshd: the user matches if any of the user's groups does (and
            // a negated match of any group refuses).
            return std::any_of(groups->begin(), groups->end(),
                               [&](const std::string& g) {
                                   return match_name_list(c.patterns, g) == ListMatch::match;
                               }) &&
                   std::none_of(groups->begin(), groups->end(), [&](const std::string& g) {
                       return match_name_list(c.patterns, g) == ListMatch::negated;
                   });
        case Kind::host:
            return match_pattern_list(c.patterns, [&](std::string_view p) {
                       return wildcard_match(p, conn.host);
                   }) == ListMatch::match;
        case Kind::address:
            return match_source_list(c.patterns, conn.address, {});
        case Kind::local_address:
            return match_source_list(c.patterns, conn.local_address, {});
        case Kind::local_port:
            return match_pattern_list(c.patterns, [&](std::string_view p) {
                       return p == std::to_string(conn.local_port);
                   }) == ListMatch::match;
    }
    return false;
}

}  // namespace

ListMatch match_name_list(std::string_view list, std::string_view text)
{
    return match_pattern_list(
        list, [&](std::string_view p) { return wildcard_match(p, text, LetterCase::exact); });
}

std::vector<MatchCriterion> parse_match_criteria(const std::vector<std::string>& args,
                                                 std::string_view where)
{
    using Kind = MatchCriterion::Kind;
    if (args.empty()) {
        config_fail(where, "Match requires at least one criterion");
    }
    std::vector<MatchCriterion> out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string name = lower_case(args[i]);
        if (name == "all") {
            // sshd_config(5): "All" must appear alone.
            if (args.size() != 1) {
                config_fail(where, "'all' cannot be combined with other Match attributes");
            }
            out.push_back(MatchCriterion{Kind::all, {}});
            continue;
        }
        const Kind kind = name == "user"           ? Kind::user
                          : name == "group"        ? Kind::group
                          : name == "host"         ? Kind::host
                          : name == "address"      ? Kind::address
                          : name == "localaddress" ? Kind::local_address
                          : name == "localport"    ? Kind::local_port
                                                   : Kind::all;
        if (kind == Kind::all) {
            config_fail(where, "Unsupported Match attribute " + args[i]);
        }
        if (i + 1 == args.size() || args[i + 1].empty()) {
            config_fail(where, "Match " + args[i] + " requires an argument");
        }
        out.push_back(MatchCriterion{kind, args[++i]});
    }
    return out;
}

bool needs_groups(const std::vector<MatchCriterion>& criteria)
{
    return std::any_of(criteria.begin(), criteria.end(), [](const MatchCriterion& c) {
        return c.kind == MatchCriterion::Kind::group;
    });
}

bool match_criteria(const std::vector<MatchCriterion>& criteria, const ConnectionInfo& connection,
                    const std::optional<std::vector<std::string>>& groups)
{
    return std::all_of(criteria.begin(), criteria.end(),
                       [&](const MatchCriterion& c) { return one_matches(c, connection, groups); });
}

std::optional<std::vector<std::string>> user_group_names(const std::string& user)
{
    struct passwd pw {};
    struct passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwnam_r(user.c_str(), &pw, buffer.data(), buffer.size(), &found) != 0 || !found) {
        return std::nullopt;
    }
    int count = 64;
    std::vector<gid_t> gids(static_cast<size_t>(count));
    while (getgrouplist(user.c_str(), pw.pw_gid, gids.data(), &count) < 0 && count < max_groups) {
        gids.resize(static_cast<size_t>(count) + 1);
        count = static_cast<int>(gids.size());
    }
    gids.resize(static_cast<size_t>(std::min(count, static_cast<int>(gids.size()))));
    std::vector<std::string> names;
    for (const gid_t gid : gids) {
        struct group gr {};
        struct group* gfound = nullptr;
        std::vector<char> gbuf(65536);
        if (getgrgid_r(gid, &gr, gbuf.data(), gbuf.size(), &gfound) == 0 && gfound) {
            names.emplace_back(gr.gr_name);
        }
    }
    return names;
}

bool keyword_allowed_in_match(const std::string& key)
{
    return std::find_if(match_keywords.begin(), match_keywords.end(),
                        [&](const char* k) { return key == k; }) != match_keywords.end();
}

}  // namespace burrow::server
