#include "server/options.h"

#include <stdexcept>
#include <string_view>

namespace burrow::server {

namespace {

/// Flags that take a value.
bool takes_value(char flag)
{
    return flag == 'p' || flag == 'h' || flag == 'f' || flag == 'o' || flag == 'C' || flag == 'E';
}

void apply_value(Options& out, char flag, const std::string& value)
{
    switch (flag) {
        case 'p':
            out.ports.push_back(value);
            break;
        case 'h':
            out.host_keys.push_back(value);
            break;
        case 'f':
            out.config_file = value;
            out.config_file_given = true;
            break;
        case 'C':
            out.connection_specs.push_back(value);
            break;
        case 'E':
            out.log_file = value;
            break;
        default:  // 'o'
            out.overrides.push_back(value);
            break;
    }
}

void apply_flag(Options& out, char flag)
{
    switch (flag) {
        case 'D':
            out.no_detach = true;
            break;
        case 'd':
            ++out.debug;
            break;
        case 'e':
            out.log_stderr = true;
            break;
        case 'i':
            out.inetd = true;
            break;
        case 'q':
            out.quiet = true;
            break;
        case 't':
            out.test_config = true;
            break;
        case 'T':
            out.dump_config = true;
            break;
        default:
            throw std::runtime_error(std::string("unknown option -") + flag + "\n" + usage_text());
    }
}

}  // namespace

const char* usage_text()
{
    return "usage: burrowd [-DdeiqTt] [-C connection_spec] [-E log_file] [-f config_file]\n"
           "               [-h host_key_file] [-o option] [-p port]";
}

Options parse_options(const std::vector<std::string>& args)
{
    Options out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() < 2 || arg[0] != '-') {
            throw std::runtime_error("unexpected argument \"" + arg + "\"\n" + usage_text());
        }
        for (size_t j = 1; j < arg.size(); ++j) {
            const char flag = arg[j];
            if (!takes_value(flag)) {
                apply_flag(out, flag);
                continue;
            }
            // The value is the rest of this word, or else the next word.
            if (j + 1 < arg.size()) {
                apply_value(out, flag, arg.substr(j + 1));
            } else if (i + 1 < args.size()) {
                apply_value(out, flag, args[++i]);
            } else {
                throw std::runtime_error(std::string("option -") + flag +
                                         " requires an argument\n" + usage_text());
            }
            break;
        }
    }
    return out;
}

}  // namespace burrow::server
