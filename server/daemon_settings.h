// The listener's own policy (sshd_config(5)): MaxStartups, PerSourceMaxStartups,
// PerSourceNetBlockSize, PerSourcePenalties and PerSourcePenaltyExemptList.
// Parsed by server/config_daemon.cpp, enforced by server/listener.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/source_block.h"

namespace burrow::server {

/// "keyword value" pairs as burrowd -T prints them (sshd -T's spelling).
using ConfigDumpLines = std::vector<std::pair<std::string, std::string>>;

/// MaxStartups start:rate:full (sshd's default 10:30:100).
struct StartupLimits {
    unsigned start = 10;
    unsigned rate = 30;
    unsigned full = 100;
};

/// Default of max-sources4 / max-sources6 (sshd_config(5), OpenSSH 9.8).
inline constexpr size_t default_penalty_max_sources = 65536;

/// PerSourcePenalties (sshd_config(5), OpenSSH 9.8 defaults).
struct PenaltySettings {
    bool enabled = true;
    std::chrono::seconds crash{90};
    std::chrono::seconds authfail{5};
    std::chrono::seconds noauth{1};
    std::chrono::seconds grace_exceeded{20};
    std::chrono::seconds max{600};
    std::chrono::seconds min{15};
    size_t max_sources4 = default_penalty_max_sources;
    size_t max_sources6 = default_penalty_max_sources;
    /// overflow / overflow6: true for deny-all, false for permissive.
    bool overflow_deny_all = false;
    bool overflow6_deny_all = false;
};

/// Values as read, before defaults (first value wins).
struct RawDaemon {
    std::optional<StartupLimits> max_startups;
    /// PerSourceMaxStartups; an inner nullopt is "none".
    std::optional<std::optional<unsigned>> per_source_max_startups;
    std::optional<NetBlockSize> net_block_size;
    std::optional<PenaltySettings> penalties;
    std::optional<std::vector<AddressMask>> penalty_exempt;
    /// Source text of PerSourcePenaltyExemptList, for -T.
    std::string penalty_exempt_text;
};

/// Effective listener settings.
struct DaemonSettings {
    StartupLimits max_startups;
    std::optional<unsigned> per_source_max_startups;  ///< nullopt: none
    NetBlockSize net_block_size;
    PenaltySettings penalties;
    std::vector<AddressMask> penalty_exempt;
    std::string penalty_exempt_text;
};

/// burrowd -T lines for these settings.
void dump_daemon_settings(const DaemonSettings& settings, ConfigDumpLines& out);

}  // namespace burrow::server
