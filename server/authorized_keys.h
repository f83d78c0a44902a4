// authorized_keys matching (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"): lines
// "[options] type base64 [comment]", and StrictModes checks of the files.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "server/key_options.h"
#include "server/user.h"

namespace burrow::server {

/// Called for each line that was skipped: (line number, reason).
using SkippedLine = std::function<void(size_t, std::string_view)>;

/// One entry that lists the key being authorized.
struct AuthorizedKey {
    size_t line = 0;  ///< 1-based
    KeyOptions options;
};

/// Every entry whose key blob equals `blob`, in file order. Malformed lines
/// (bad options, bad key) are reported through `skipped` and never affect
/// the other lines. cert-authority entries do not authorize a plain key.
std::vector<AuthorizedKey> find_authorized_keys(std::string_view text, ByteView blob,
                                                const SkippedLine& skipped);

/// Line number (1-based) of the first entry whose key blob equals `blob`.
std::optional<size_t> find_authorized_key(std::string_view text, ByteView blob,
                                          const SkippedLine& skipped);

/// StrictModes (sshd_config(5)): the file and every directory above it, up
/// to the user's home directory (or "/" for files outside it), must be owned
/// by root or the user and not writable by group or others. A directory
/// with the sticky bit (such as /tmp) may be writable by others, since they
/// cannot replace entries they do not own. Returns why the path is unsafe,
/// empty if it is safe; a missing file is not an error (empty).
std::string strict_modes_problem(const std::string& path, const UserInfo& user);

}  // namespace burrow::server
