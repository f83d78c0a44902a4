// MaxStartups and PerSourceMaxStartups (sshd_config(5)): how many
// connections may be unauthenticated at once, overall and per source block.
// Pure logic: the caller passes in the random draw and the counts.
#pragma once

#include <map>
#include <optional>

#include "server/daemon_settings.h"
#include "server/source_block.h"

namespace burrow::server {

/// Range of the random draw for MaxStartups' early drop (a percentage).
inline constexpr unsigned startup_drop_scale = 100;

/// Percentage chance of refusing a new connection while `startups` are
/// already unauthenticated: 0 below `start`, `rate` at `start`, rising
/// linearly to 100 at `full` (sshd_config(5) MaxStartups).
unsigned startup_drop_percent(const StartupLimits& limits, unsigned startups);

/// MaxStartups' decision for a draw uniform in [0, startup_drop_scale).
bool should_drop_startup(const StartupLimits& limits, unsigned startups, unsigned draw);

/// Unauthenticated connections per source block, for PerSourceMaxStartups.
/// Bounded by construction: only connections the listener is tracking are
/// counted, and MaxStartups caps those.
class SourceStartups final {
public:
    /// `limit`: PerSourceMaxStartups (nullopt: none).
    SourceStartups(std::optional<unsigned> limit, NetBlockSize sizes)
        : m_limit(limit), m_sizes(sizes)
    {
    }

    /// True if one more unauthenticated connection from `address` is allowed.
    bool allows(const SourceAddress& address) const;
    void add(const SourceAddress& address);
    /// Undoes one add() (the connection authenticated or ended).
    void remove(const SourceAddress& address);
    size_t count(const SourceAddress& address) const;
    size_t block_count() const { return m_counts.size(); }

private:
    std::optional<unsigned> m_limit;
    NetBlockSize m_sizes;
    std::map<SourceAddress, size_t> m_counts;
};

}  // namespace burrow::server
