#include "server/auth_progress.h"

#include <algorithm>

#include "server/auth_settings.h"

namespace burrow::server {

AuthProgress::AuthProgress(const std::vector<std::vector<std::string>>& lists,
                           std::vector<std::string> enabled)
    : m_enabled(std::move(enabled)), m_any(lists.empty())
{
    const auto is_enabled = [this](const std::string& method) {
        return std::find(m_enabled.begin(), m_enabled.end(), base_method(method)) !=
               m_enabled.end();
    };
    for (const std::vector<std::string>& list : lists) {
        if (!list.empty() && std::all_of(list.begin(), list.end(), is_enabled)) {
            std::vector<std::string> bases;
            for (const std::string& method : list) {
                bases.emplace_back(base_method(method));
            }
            m_initial.push_back(std::move(bases));
        }
    }
    m_remaining = m_initial;
}

std::vector<std::string> AuthProgress::offered() const
{
    if (m_any) {
        return m_enabled;
    }
    // sshd_config(5): the methods of a list must succeed in the listed order,
    // so only the first outstanding one of each list can be tried now.
    std::vector<std::string> out;
    for (const std::vector<std::string>& list : m_remaining) {
        if (!list.empty() && std::find(out.begin(), out.end(), list.front()) == out.end()) {
            out.push_back(list.front());
        }
    }
    return out;
}

bool AuthProgress::allows(std::string_view method) const
{
    const std::vector<std::string> now = offered();
    return std::find(now.begin(), now.end(), method) != now.end();
}

protocol::AuthVerdict AuthProgress::complete(std::string_view method)
{
    if (!allows(method)) {
        return protocol::AuthVerdict::reject;
    }
    if (m_any) {
        return protocol::AuthVerdict::accept;
    }
    // Advance every list whose next method this was; the others wait.
    for (std::vector<std::string>& list : m_remaining) {
        if (!list.empty() && list.front() == method) {
            list.erase(list.begin());
            if (list.empty()) {
                return protocol::AuthVerdict::accept;
            }
        }
    }
    return protocol::AuthVerdict::partial;
}

void AuthProgress::reset()
{
    m_remaining = m_initial;
}

}  // namespace burrow::server
