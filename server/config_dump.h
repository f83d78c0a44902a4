// burrowd -T: the effective configuration in sshd -T's spelling, and the
// -C connection specification that selects the Match blocks to apply.
#pragma once

#include <string>
#include <vector>

#include "server/config.h"
#include "server/daemon_settings.h"

namespace burrow::server {

/// "keyword value" lines (lower-case keyword; yes/no; algorithm lists
/// comma-separated; "none" where sshd prints none) for every keyword
/// burrowd parses, in sshd -T's order where it has one.
ConfigDumpLines dump_config(const ServerConfig& config);

/// The lines as text, one "keyword value\n" each.
std::string format_dump(const ConfigDumpLines& lines);

/// Parse -C specifications ("user=alice,host=h,addr=1.2.3.4,laddr=..,
/// lport=22"; several -C are joined with commas). Throws ConfigError naming
/// a bad key or value. Fields not given stay empty (0 for the port); host
/// defaults to addr, as sshd does.
ConnectionInfo parse_connection_spec(const std::vector<std::string>& specs);

/// burrowd -T [-C spec]: load the configuration, resolve it (for the -C
/// connection if given), print it on stdout. Returns the exit status: 0, or
/// 255 after printing the error on stderr (as for other configuration
/// errors).
int run_dump_config(const Options& options);

/// The unsupported-feature keywords with the value burrowd runs with
/// (server/config_access.cpp).
void dump_unsupported_keywords(ConfigDumpLines& out);

}  // namespace burrow::server
