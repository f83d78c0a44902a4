// Small text helpers shared by the ssh_config(5) keyword parsers and the
// configuration file reader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace burrow::client {

/// ASCII case-insensitive equality (ssh_config(5) keywords are case-insensitive).
bool iequals(std::string_view a, std::string_view b);

/// Space or tab.
bool is_blank(char c);

/// Without leading blanks and trailing blanks / CR / LF.
std::string_view trim(std::string_view s);

/// Split a comma-separated list, dropping empty items.
std::vector<std::string> split_list(std::string_view value);

/// Split a value into words; double quotes group words with blanks.
std::vector<std::string> split_words(std::string_view value);

/// True for an ssh_config(5) keyword OpenSSH knows but burrow does not
/// implement (accepted and ignored, as a user's ~/.ssh/config must load).
bool is_unimplemented_ssh_keyword(std::string_view keyword);

}  // namespace burrow::client
