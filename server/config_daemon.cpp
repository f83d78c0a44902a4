// Listener keywords (sshd_config(5)): MaxStartups, PerSourceMaxStartups,
// PerSourceNetBlockSize, PerSourcePenalties, PerSourcePenaltyExemptList.
#include <charconv>

#include "server/auth_settings.h"
#include "server/config.h"
#include "server/config_checks.h"

namespace burrow::server {

namespace {

std::optional<unsigned> parse_unsigned(std::string_view text)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

/// "start:rate:full" or a single number (start = full, rate 100).
StartupLimits parse_max_startups(const std::string& text, std::string_view where)
{
    std::vector<std::optional<unsigned>> parts;
    size_t begin = 0;
    while (true) {
        const size_t colon = text.find(':', begin);
        parts.push_back(parse_unsigned(std::string_view(text).substr(begin, colon - begin)));
        if (colon == std::string::npos) {
            break;
        }
        begin = colon + 1;
    }
    for (const auto& p : parts) {
        if (!p) {
            config_fail(where, "bad MaxStartups value \"" + text + "\"");
        }
    }
    StartupLimits limits;
    if (parts.size() == 1) {
        limits = StartupLimits{*parts[0], 100, *parts[0]};
    } else if (parts.size() == 3) {
        limits = StartupLimits{*parts[0], *parts[1], *parts[2]};
    } else {
        config_fail(where, "bad MaxStartups value \"" + text + "\"");
    }
    // sshd_config(5): rate is a percentage and start may not exceed full.
    if (limits.rate > 100 || limits.start > limits.full || limits.full == 0) {
        config_fail(where, "illegal MaxStartups value \"" + text + "\"");
    }
    return limits;
}

NetBlockSize parse_net_block_size(const std::string& text, std::string_view where)
{
    const size_t colon = text.find(':');
    const std::optional<unsigned> v4 = parse_unsigned(std::string_view(text).substr(0, colon));
    std::optional<unsigned> v6 = NetBlockSize{}.v6;
    if (colon != std::string::npos) {
        v6 = parse_unsigned(std::string_view(text).substr(colon + 1));
    }
    // Prefix lengths: 1..32 for IPv4, 1..128 for IPv6.
    if (!v4 || !v6 || *v4 < 1 || *v4 > 32 || *v6 < 1 || *v6 > 128) {
        config_fail(where, "bad PerSourceNetBlockSize value \"" + text + "\"");
    }
    return NetBlockSize{*v4, *v6};
}

std::chrono::seconds penalty_time(const std::string& value, const std::string& token,
                                  std::string_view where)
{
    const std::optional<std::chrono::seconds> t = parse_time_interval(value);
    if (!t) {
        config_fail(where, "bad PerSourcePenalties time \"" + token + "\"");
    }
    return *t;
}

/// One "name:value" token of PerSourcePenalties.
void apply_penalty_token(PenaltySettings& p, const std::string& token, std::string_view where)
{
    const size_t colon = token.find(':');
    if (colon == std::string::npos) {
        config_fail(where, "bad PerSourcePenalties option \"" + token + "\"");
    }
    const std::string name = token.substr(0, colon);
    const std::string value = token.substr(colon + 1);
    std::chrono::seconds* slot = name == "crash"            ? &p.crash
                                 : name == "authfail"       ? &p.authfail
                                 : name == "noauth"         ? &p.noauth
                                 : name == "grace-exceeded" ? &p.grace_exceeded
                                 : name == "max"            ? &p.max
                                 : name == "min"            ? &p.min
                                                            : nullptr;
    if (slot) {
        *slot = penalty_time(value, token, where);
    } else if (name == "max-sources4" || name == "max-sources6") {
        const std::optional<unsigned> n = parse_unsigned(value);
        if (!n) {
            config_fail(where, "bad PerSourcePenalties count \"" + token + "\"");
        }
        (name == "max-sources4" ? p.max_sources4 : p.max_sources6) = *n;
    } else if (name == "overflow" || name == "overflow6") {
        if (value != "deny-all" && value != "permissive") {
            config_fail(where, "bad PerSourcePenalties overflow mode \"" + token + "\"");
        }
        (name == "overflow" ? p.overflow_deny_all : p.overflow6_deny_all) = value == "deny-all";
    } else {
        config_fail(where, "unknown PerSourcePenalties option \"" + token + "\"");
    }
}

PenaltySettings parse_penalties(const std::vector<std::string>& args, std::string_view where)
{
    PenaltySettings p;
    if (args.size() == 1) {
        if (const std::optional<bool> flag = parse_yes_no(args[0])) {
            p.enabled = *flag;
            return p;
        }
    }
    // overflow6 follows overflow unless given.
    bool overflow6_given = false;
    for (const std::string& token : args) {
        apply_penalty_token(p, token, where);
        overflow6_given = overflow6_given || token.starts_with("overflow6:");
    }
    if (!overflow6_given) {
        p.overflow6_deny_all = p.overflow_deny_all;
    }
    return p;
}

std::vector<AddressMask> parse_exempt_list(const std::vector<std::string>& args,
                                           std::string_view where)
{
    std::vector<AddressMask> list;
    for (const std::string& arg : args) {
        size_t begin = 0;
        while (begin <= arg.size()) {
            const size_t comma = std::min(arg.find(',', begin), arg.size());
            const std::string entry = arg.substr(begin, comma - begin);
            const std::optional<AddressMask> mask = AddressMask::parse(entry);
            if (!mask) {
                config_fail(where, "bad PerSourcePenaltyExemptList entry \"" + entry + "\"");
            }
            list.push_back(*mask);
            begin = comma + 1;
        }
    }
    return list;
}

/// Seconds without a unit, as sshd -T prints penalty times.
std::string seconds_text(std::chrono::seconds s)
{
    return std::to_string(s.count());
}

std::string join(const std::vector<std::string>& args, char sep)
{
    std::string out;
    for (const std::string& a : args) {
        out += (out.empty() ? "" : std::string(1, sep)) + a;
    }
    return out;
}

}  // namespace

bool ConfigParser::apply_daemon_keyword(const std::string& key, const std::string& keyword,
                                        const std::vector<std::string>& args,
                                        std::string_view where)
{
    RawDaemon& d = m_raw.daemon;
    if (key == "maxstartups") {
        require_args(args, 1, 1, keyword, where);
        const StartupLimits limits = parse_max_startups(args[0], where);
        d.max_startups = d.max_startups.value_or(limits);  // first value wins
    } else if (key == "persourcemaxstartups") {
        require_args(args, 1, 1, keyword, where);
        std::optional<unsigned> limit;
        if (args[0] != "none") {
            limit = parse_unsigned(args[0]);
            if (!limit || *limit == 0) {
                config_fail(where, "bad PerSourceMaxStartups value \"" + args[0] + "\"");
            }
        }
        d.per_source_max_startups = d.per_source_max_startups.value_or(limit);
    } else if (key == "persourcenetblocksize") {
        require_args(args, 1, 1, keyword, where);
        const NetBlockSize sizes = parse_net_block_size(args[0], where);
        d.net_block_size = d.net_block_size.value_or(sizes);
    } else if (key == "persourcepenalties") {
        require_args(args, 1, 16, keyword, where);
        const PenaltySettings p = parse_penalties(args, where);
        d.penalties = d.penalties.value_or(p);
    } else if (key == "persourcepenaltyexemptlist") {
        require_args(args, 1, 64, keyword, where);
        // "none" (what -T prints for an empty list) clears it.
        const bool none = args.size() == 1 && args[0] == "none";
        const std::vector<AddressMask> list =
            none ? std::vector<AddressMask>{} : parse_exempt_list(args, where);
        if (!d.penalty_exempt) {
            d.penalty_exempt = list;
            d.penalty_exempt_text = none ? "" : join(args, ',');
        }
    } else {
        return false;
    }
    return true;
}

void resolve_daemon(const RawConfig& raw, ServerConfig& out)
{
    const RawDaemon& d = raw.daemon;
    DaemonSettings& s = out.daemon;
    s.max_startups = d.max_startups.value_or(StartupLimits{});
    s.per_source_max_startups = d.per_source_max_startups.value_or(std::nullopt);
    s.net_block_size = d.net_block_size.value_or(NetBlockSize{});
    s.penalties = d.penalties.value_or(PenaltySettings{});
    s.penalty_exempt = d.penalty_exempt.value_or(std::vector<AddressMask>{});
    s.penalty_exempt_text = d.penalty_exempt_text;
}

void dump_daemon_settings(const DaemonSettings& settings, ConfigDumpLines& out)
{
    const StartupLimits& s = settings.max_startups;
    out.emplace_back("maxstartups", std::to_string(s.start) + ":" + std::to_string(s.rate) + ":" +
                                        std::to_string(s.full));
    out.emplace_back("persourcemaxstartups", settings.per_source_max_startups
                                                 ? std::to_string(*settings.per_source_max_startups)
                                                 : "none");
    out.emplace_back("persourcenetblocksize", std::to_string(settings.net_block_size.v4) + ":" +
                                                  std::to_string(settings.net_block_size.v6));
    const PenaltySettings& p = settings.penalties;
    if (!p.enabled) {
        out.emplace_back("persourcepenalties", "no");
    } else {
        out.emplace_back(
            "persourcepenalties",
            "crash:" + seconds_text(p.crash) + " authfail:" + seconds_text(p.authfail) +
                " noauth:" + seconds_text(p.noauth) + " grace-exceeded:" +
                seconds_text(p.grace_exceeded) + " max:" + seconds_text(p.max) +
                " min:" + seconds_text(p.min) + " max-sources4:" + std::to_string(p.max_sources4) +
                " max-sources6:" + std::to_string(p.max_sources6) +
                " overflow:" + (p.overflow_deny_all ? "deny-all" : "permissive") +
                " overflow6:" + (p.overflow6_deny_all ? "deny-all" : "permissive"));
    }
    out.emplace_back("persourcepenaltyexemptlist",
                     settings.penalty_exempt_text.empty() ? "none" : settings.penalty_exempt_text);
}

}  // namespace burrow::server
