#include "server/penalties.h"

#include <sys/wait.h>

#include <algorithm>

#include "server/connection_outcome.h"

namespace burrow::server {

const char* penalty_name(PenaltyKind kind)
{
    switch (kind) {
        case PenaltyKind::crash:
            return "crash";
        case PenaltyKind::authfail:
            return "authfail";
        case PenaltyKind::noauth:
            return "noauth";
        case PenaltyKind::grace_exceeded:
            return "grace-exceeded";
    }
    return "unknown";
}

std::optional<PenaltyKind> penalty_for_wait_status(int status)
{
    if (WIFSIGNALED(status)) {
        return PenaltyKind::crash;
    }
    if (!WIFEXITED(status)) {
        return std::nullopt;
    }
    switch (WEXITSTATUS(status)) {
        case exit_connection_ok:
            return std::nullopt;
        case exit_grace_exceeded:
            return PenaltyKind::grace_exceeded;
        case exit_child_crash:
            return PenaltyKind::crash;
        case exit_auth_attempted:
        case exit_refused_by_policy:
            // OpenSSH 9.8 has no penalty of its own for configuration refusals
            // (DenyUsers...): they end as failed authentication.
            return PenaltyKind::authfail;
        default:
            // Any other ending before authentication: noauth.
            return PenaltyKind::noauth;
    }
}

std::chrono::seconds PenaltyTable::duration_of(PenaltyKind kind) const
{
    switch (kind) {
        case PenaltyKind::crash:
            return m_settings.crash;
        case PenaltyKind::authfail:
            return m_settings.authfail;
        case PenaltyKind::noauth:
            return m_settings.noauth;
        case PenaltyKind::grace_exceeded:
            return m_settings.grace_exceeded;
    }
    return m_settings.noauth;
}

bool PenaltyTable::make_room(Table& table, bool v6)
{
    const size_t limit = v6 ? m_settings.max_sources6 : m_settings.max_sources4;
    if (table.size() < limit) {
        return true;
    }
    const bool deny_all = v6 ? m_settings.overflow6_deny_all : m_settings.overflow_deny_all;
    if (deny_all || table.empty()) {
        return false;
    }
    // permissive: "allows new connections by removing existing penalties
    // early" - the one closest to expiry goes first.
    const auto soonest = std::min_element(table.begin(), table.end(), [](const auto& a, const auto& b) {
        return a.second.expiry < b.second.expiry;
    });
    table.erase(soonest);
    return true;
}

std::string PenaltyTable::penalise(const SourceAddress& address, PenaltyKind kind,
                                   Clock::time_point now)
{
    if (!m_settings.enabled || address_in_list(m_exempt, address)) {
        return "";
    }
    expire(now);
    const SourceAddress block = source_block(address, m_sizes);
    Table& table = block.v6 ? m_v6 : m_v4;
    const std::chrono::seconds amount = duration_of(kind);
    auto it = table.find(block);
    if (it == table.end()) {
        if (!make_room(table, block.v6)) {
            return "penalty table full for " + block_text(block, m_sizes) + "; " +
                   penalty_name(kind) + " penalty not recorded";
        }
        it = table.emplace(block, Entry{now, false, kind}).first;
    }
    Entry& entry = it->second;
    // Repeated penalties accumulate, up to `max` from now.
    entry.expiry = std::min(std::max(entry.expiry, now) + amount, now + m_settings.max);
    entry.kind = kind;
    const auto remaining = std::chrono::duration_cast<std::chrono::seconds>(entry.expiry - now);
    const bool was_active = entry.active;
    // Enforced only once the accumulated penalty reaches `min`.
    entry.active = entry.active || remaining >= m_settings.min;
    return std::string(was_active ? "extended " : entry.active ? "new active " : "new ") +
           penalty_name(kind) + " penalty for " + block_text(block, m_sizes) + ": " +
           std::to_string(remaining.count()) + " seconds";
}

std::optional<std::string> PenaltyTable::refusal(const SourceAddress& address,
                                                 Clock::time_point now)
{
    if (!m_settings.enabled || address_in_list(m_exempt, address)) {
        return std::nullopt;
    }
    expire(now);
    const SourceAddress block = source_block(address, m_sizes);
    const Table& table = block.v6 ? m_v6 : m_v4;
    const auto it = table.find(block);
    if (it != table.end() && it->second.active) {
        return penalty_name(it->second.kind);
    }
    const size_t limit = block.v6 ? m_settings.max_sources6 : m_settings.max_sources4;
    const bool deny_all = block.v6 ? m_settings.overflow6_deny_all : m_settings.overflow_deny_all;
    if (deny_all && table.size() >= limit) {
        return std::string("penalty table full (deny-all)");
    }
    return std::nullopt;
}

void PenaltyTable::expire(Clock::time_point now)
{
    for (Table* table : {&m_v4, &m_v6}) {
        std::erase_if(*table, [&](const auto& item) { return item.second.expiry <= now; });
    }
}

}  // namespace burrow::server
