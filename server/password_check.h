// Password verification for password and keyboard-interactive
// authentication: PAM (UsePAM yes, service "burrowd") or the shadow file.
#pragma once

#include <string>
#include <string_view>

namespace burrow::server {

/// PAM service name (the /etc/pam.d file; burrowd installs server/pam.d/burrowd).
constexpr const char* pam_service_name = "burrowd";

/// How to check a password and what to allow.
struct PasswordPolicy {
    bool use_pam = false;
    bool permit_empty = false;  ///< PermitEmptyPasswords
    std::string remote_host;    ///< PAM_RHOST
};

/// Is `password` the password of `user`? For an unknown user the same kind
/// of work is done and false returned, so the timing does not tell.
/// Never logs the password.
bool check_password(const std::string& user, bool user_exists, std::string_view password,
                    const PasswordPolicy& policy);

/// Shadow file check (getspnam + crypt(3)); exposed for tests.
bool check_shadow_password(const std::string& user, std::string_view password, bool permit_empty);

/// PAM check: pam_authenticate then pam_acct_mgmt with service "burrowd".
bool check_pam_password(const std::string& user, std::string_view password,
                        const PasswordPolicy& policy);

/// Same-cost hashing work for a user that does not exist.
void dummy_password_work(std::string_view password);

}  // namespace burrow::server
