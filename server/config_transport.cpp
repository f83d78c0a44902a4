// sshd_config(5) transport keywords: Ciphers, MACs, KexAlgorithms,
// HostKeyAlgorithms, PubkeyAcceptedAlgorithms, RekeyLimit, Compression,
// ModuliFile.
#include <cctype>

#include "crypto/algorithm_list.h"
#include "crypto/registry.h"
#include "server/config.h"
#include "server/config_checks.h"

namespace burrow::server {

namespace {

/// One algorithm-list keyword: its defaults and what may be named.
struct ListKeyword {
    std::vector<std::string> defaults;
    const std::vector<std::string>* supported = nullptr;
    std::optional<std::vector<std::string>> RawConfig::*slot = nullptr;
};

std::optional<ListKeyword> list_keyword(const std::string& key)
{
    if (key == "ciphers") {
        return ListKeyword{crypto::default_ciphers(), &crypto::supported_ciphers(),
                           &RawConfig::ciphers};
    }
    if (key == "macs") {
        return ListKeyword{crypto::default_macs(), &crypto::supported_macs(), &RawConfig::macs};
    }
    if (key == "kexalgorithms") {
        return ListKeyword{crypto::default_kex(crypto::Side::server), &crypto::supported_kex(),
                           &RawConfig::kex_algorithms};
    }
    if (key == "hostkeyalgorithms") {
        return ListKeyword{crypto::default_host_key_algorithms(),
                           &crypto::supported_signature_algorithms(),
                           &RawConfig::host_key_algorithms};
    }
    // PubkeyAcceptedKeyTypes is the name used before OpenSSH 8.5.
    if (key == "pubkeyacceptedalgorithms" || key == "pubkeyacceptedkeytypes") {
        return ListKeyword{crypto::default_pubkey_algorithms(),
                           &crypto::supported_signature_algorithms(),
                           &RawConfig::pubkey_algorithms};
    }
    return std::nullopt;
}

/// sshd_config(5) Compression: "yes" and "delayed" both mean zlib@openssh.com,
/// which only starts after user authentication; "no" offers none only.
std::optional<std::vector<std::string>> compression_offer(const std::string& value)
{
    std::string v;
    for (const char c : value) {
        v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (v == "yes" || v == "delayed") {
        return std::vector<std::string>{"zlib@openssh.com", "none"};
    }
    if (v == "no") {
        return std::vector<std::string>{"none"};
    }
    return std::nullopt;
}

}  // namespace

bool ConfigParser::apply_transport_keyword(const std::string& key, const std::string& keyword,
                                           const std::vector<std::string>& args,
                                           std::string_view where)
{
    if (const std::optional<ListKeyword> list = list_keyword(key)) {
        require_args(args, 1, 1, keyword, where);
        std::string error;
        auto names =
            crypto::apply_algorithm_list(args[0], list->defaults, *list->supported, &error);
        if (!names) {
            throw ConfigError(std::string(where) + ": bad " + keyword + " list \"" + args[0] +
                              "\": " + error);
        }
        if (!(m_raw.*(list->slot))) {  // first value wins
            m_raw.*(list->slot) = std::move(*names);
        }
        return true;
    }
    if (key == "rekeylimit") {
        std::string error;
        const auto limit = crypto::parse_rekey_limit(args, &error);
        if (!limit) {
            throw ConfigError(std::string(where) + ": " + error);
        }
        if (!m_raw.rekey_limit) {
            m_raw.rekey_limit = limit;
        }
        return true;
    }
    if (key == "compression") {
        require_args(args, 1, 1, keyword, where);
        auto offer = compression_offer(args[0]);
        if (!offer) {
            throw ConfigError(std::string(where) + ": unsupported option \"" + args[0] +
                              "\" for \"" + keyword + "\"");
        }
        if (!m_raw.compression) {
            m_raw.compression = std::move(offer);
        }
        return true;
    }
    if (key == "modulifile") {
        require_args(args, 1, 1, keyword, where);
        if (!m_raw.moduli_file) {
            m_raw.moduli_file = args[0];
        }
        return true;
    }
    return false;
}

void resolve_transport(const RawConfig& raw, ServerConfig& out)
{
    out.ciphers = raw.ciphers.value_or(crypto::default_ciphers());
    out.macs = raw.macs.value_or(crypto::default_macs());
    out.kex_algorithms = raw.kex_algorithms.value_or(crypto::default_kex(crypto::Side::server));
    out.host_key_algorithms =
        raw.host_key_algorithms.value_or(crypto::default_host_key_algorithms());
    out.pubkey_algorithms = raw.pubkey_algorithms.value_or(crypto::default_pubkey_algorithms());
    // sshd_config(5): Compression defaults to yes (delayed until after auth).
    out.compression =
        raw.compression.value_or(std::vector<std::string>{"zlib@openssh.com", "none"});
    out.rekey_limit = raw.rekey_limit.value_or(crypto::RekeyLimit{});
    out.moduli_file = raw.moduli_file;
}

}  // namespace burrow::server
