#include "server/startup_limits.h"

namespace burrow::server {

unsigned startup_drop_percent(const StartupLimits& limits, unsigned startups)
{
    if (startups < limits.start) {
        return 0;
    }
    if (startups >= limits.full || limits.full <= limits.start) {
        return startup_drop_scale;
    }
    // sshd_config(5): "the probability increases linearly and all connection
    // attempts are refused if the number of unauthenticated connections
    // reaches full".
    const unsigned span = limits.full - limits.start;
    const unsigned above = startups - limits.start;
    return limits.rate + (startup_drop_scale - limits.rate) * above / span;
}

bool should_drop_startup(const StartupLimits& limits, unsigned startups, unsigned draw)
{
    return draw < startup_drop_percent(limits, startups);
}

bool SourceStartups::allows(const SourceAddress& address) const
{
    return !m_limit || count(address) < *m_limit;
}

void SourceStartups::add(const SourceAddress& address)
{
    ++m_counts[source_block(address, m_sizes)];
}

void SourceStartups::remove(const SourceAddress& address)
{
    const auto it = m_counts.find(source_block(address, m_sizes));
    if (it == m_counts.end()) {
        return;
    }
    if (--it->second == 0) {
        m_counts.erase(it);
    }
}

size_t SourceStartups::count(const SourceAddress& address) const
{
    const auto it = m_counts.find(source_block(address, m_sizes));
    return it == m_counts.end() ? 0 : it->second;
}

}  // namespace burrow::server
