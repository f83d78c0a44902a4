#include "server/password_check.h"

#include <crypt.h>
#include <shadow.h>
#include <string.h>

#include <memory>
#include <vector>

#include "server/log.h"

namespace burrow::server {

namespace {

/// Wipes a copy of a secret when it goes out of scope.
class WipedString {
public:
    explicit WipedString(std::string_view text) : m_text(text) {}
    ~WipedString() { explicit_bzero(m_text.data(), m_text.size()); }
    WipedString(const WipedString&) = delete;
    WipedString& operator=(const WipedString&) = delete;
    const char* c_str() const { return m_text.c_str(); }

private:
    std::string m_text;
};

/// Compare two hash strings without an early exit on the first difference.
bool equal_constant_time(std::string_view a, std::string_view b)
{
    const size_t n = std::max(a.size(), b.size());
    unsigned diff = a.size() == b.size() ? 0U : 1U;
    for (size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned>(x ^ y);
    }
    return diff == 0;
}

/// crypt_r into a heap buffer (struct crypt_data is large); empty on error.
std::string hash_password(std::string_view password, const char* setting)
{
    const auto data = std::make_unique<crypt_data>();
    const WipedString secret(password);
    const char* const result = crypt_r(secret.c_str(), setting, data.get());
    // crypt(3): failures return null or a string starting with '*'.
    std::string out = (result == nullptr || result[0] == '*') ? std::string() : result;
    explicit_bzero(data.get(), sizeof(crypt_data));
    return out;
}

/// A setting string of the system's default hashing method, made once.
const char* dummy_setting()
{
    static const std::string setting = [] {
        char buffer[CRYPT_GENSALT_OUTPUT_SIZE] = {};
        const char* const made = crypt_gensalt_rn(nullptr, 0, nullptr, 0, buffer, sizeof(buffer));
        return std::string(made != nullptr ? made : "$6$burrowdummysalt");
    }();
    return setting.c_str();
}

}  // namespace

void dummy_password_work(std::string_view password)
{
    (void)hash_password(password, dummy_setting());
}

bool check_shadow_password(const std::string& user, std::string_view password, bool permit_empty)
{
    spwd entry{};
    spwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (getspnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr) {
        log_debug("no shadow entry for " + user);
        dummy_password_work(password);
        return false;
    }
    const std::string stored = found->sp_pwdp != nullptr ? found->sp_pwdp : "";
    explicit_bzero(buffer.data(), buffer.size());
    if (stored.empty()) {
        // No password set: only an empty password, and only if permitted.
        dummy_password_work(password);
        return permit_empty && password.empty();
    }
    // Locked ("!...") or disabled ("*") accounts never match.
    if (stored[0] == '!' || stored[0] == '*') {
        dummy_password_work(password);
        return false;
    }
    const std::string computed = hash_password(password, stored.c_str());
    return !computed.empty() && equal_constant_time(computed, stored);
}

bool check_password(const std::string& user, bool user_exists, std::string_view password,
                    const PasswordPolicy& policy)
{
    if (policy.use_pam) {
        // PAM modules add their own delay after a failure (pam_unix, pam_faildelay):
        // unknown users and refused empty passwords go through PAM too, so
        // they take as long as a wrong password for a real account.
        const bool ok = check_pam_password(user, password, policy);
        if (!user_exists) {
            // pam_unix skips hashing for an account it cannot find; hash
            // anyway so the refusal costs what a real account's does.
            dummy_password_work(password);
        }
        return ok && user_exists && (policy.permit_empty || !password.empty());
    }
    if (!user_exists || (password.empty() && !policy.permit_empty)) {
        dummy_password_work(password);
        return false;
    }
    return check_shadow_password(user, password, policy.permit_empty);
}

}  // namespace burrow::server
