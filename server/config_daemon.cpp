// Listener keywords: MaxStartups, PerSourceMaxStartups, PerSourceNetBlockSize,
// PerSourcePenalties, PerSourcePenaltyExemptList.
#include "server/config.h"
#include "server/config_checks.h"

namespace burrow::server {

bool ConfigParser::apply_daemon_keyword(const std::string& key, const std::string& keyword,
                                        const std::vector<std::string>& args,
                                        std::string_view where)
{
    return false;
}

void resolve_daemon(const RawConfig& raw, ServerConfig& out)
{
    out.daemon.max_startups = raw.daemon.max_startups.value_or(StartupLimits{});
}

void dump_daemon_settings(const DaemonSettings& settings, ConfigDumpLines& out)
{
    const StartupLimits& s = settings.max_startups;
    out.emplace_back("maxstartups", std::to_string(s.start) + ":" + std::to_string(s.rate) + ":" +
                                        std::to_string(s.full));
}

}  // namespace burrow::server
