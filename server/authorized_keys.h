// authorized_keys matching (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"), the
// plain-key subset: "type base64 [comment]". Lines with key options are
// skipped for now (reported through the callback).
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "crypto/bytes.h"

namespace burrow::server {

/// Called for each line that was skipped: (line number, reason).
using SkippedLine = std::function<void(size_t, std::string_view)>;

/// Line number (1-based) of the first entry whose key blob equals `blob`.
std::optional<size_t> find_authorized_key(std::string_view text, ByteView blob,
                                          const SkippedLine& skipped);

}  // namespace burrow::server
