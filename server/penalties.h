// PerSourcePenalties (sshd_config(5), OpenSSH 9.8): sources whose connections
// crash, fail authentication, leave without authenticating or exceed
// LoginGraceTime are refused for a while. Penalties accumulate per source
// block up to `max`, are enforced only once they reach `min`, and expire.
// Pure logic: the caller passes in the time.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/daemon_settings.h"
#include "server/source_block.h"

namespace burrow::server {

/// Why a source is penalised.
enum class PenaltyKind { crash, authfail, noauth, grace_exceeded };

/// "crash", "authfail", ... as in the PerSourcePenalties keywords.
const char* penalty_name(PenaltyKind kind);

/// The penalty a connection process's wait(2) status earns, if any: killed by
/// a signal is a crash, else by ConnectionExit (server/connection_outcome.h).
std::optional<PenaltyKind> penalty_for_wait_status(int status);

class PenaltyTable final {
public:
    using Clock = std::chrono::steady_clock;

    PenaltyTable(PenaltySettings settings, NetBlockSize sizes, std::vector<AddressMask> exempt)
        : m_settings(settings), m_sizes(sizes), m_exempt(std::move(exempt))
    {
    }

    /// Adds a penalty for `address`'s block; returns a log line ("" if the
    /// address is exempt or penalties are off).
    std::string penalise(const SourceAddress& address, PenaltyKind kind, Clock::time_point now);

    /// Why a new connection from `address` is refused now, or nullopt.
    std::optional<std::string> refusal(const SourceAddress& address, Clock::time_point now);

    /// Drops expired entries.
    void expire(Clock::time_point now);
    size_t size(bool v6) const { return (v6 ? m_v6 : m_v4).size(); }

private:
    struct Entry {
        Clock::time_point expiry;
        bool active = false;
        PenaltyKind kind = PenaltyKind::noauth;
    };
    using Table = std::map<SourceAddress, Entry>;

    std::chrono::seconds duration_of(PenaltyKind kind) const;
    bool make_room(Table& table, bool v6);

    PenaltySettings m_settings;
    NetBlockSize m_sizes;
    std::vector<AddressMask> m_exempt;
    Table m_v4;
    Table m_v6;
};

}  // namespace burrow::server
