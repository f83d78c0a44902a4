// burrow -G: the effective configuration, printed the way `ssh -G` does.
#pragma once

#include <string>

#include "client/options.h"

namespace burrow::client {

/// One "keyword value" line per setting (lowercase keywords, ssh -G
/// spellings: yes/no, true/false for RequestTTY and StrictHostKeyChecking,
/// one line per IdentityFile, SendEnv and SetEnv entry). `config` supplies
/// the IdentityFile names before expansion, as ssh -G prints them.
std::string dump_config(const ClientConfig& config, const Settings& settings);

}  // namespace burrow::client
