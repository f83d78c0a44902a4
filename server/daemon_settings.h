// The listener's own policy (sshd_config(5)): MaxStartups, PerSourceMaxStartups,
// PerSourceNetBlockSize, PerSourcePenalties and PerSourcePenaltyExemptList.
// Parsed by server/config_daemon.cpp, enforced by server/listener.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace burrow::server {

/// "keyword value" pairs as burrowd -T prints them (sshd -T's spelling).
using ConfigDumpLines = std::vector<std::pair<std::string, std::string>>;

/// MaxStartups start:rate:full (sshd's default 10:30:100).
struct StartupLimits {
    unsigned start = 10;
    unsigned rate = 30;
    unsigned full = 100;
};

/// Values as read, before defaults (first value wins).
struct RawDaemon {
    std::optional<StartupLimits> max_startups;
};

/// Effective listener settings.
struct DaemonSettings {
    StartupLimits max_startups;
};

/// burrowd -T lines for these settings.
void dump_daemon_settings(const DaemonSettings& settings, ConfigDumpLines& out);

}  // namespace burrow::server
