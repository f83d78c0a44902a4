#include "client/algorithms.h"

#include <algorithm>
#include <cctype>

#include "crypto/algorithm_list.h"
#include "crypto/keys.h"
#include "crypto/registry.h"

namespace burrow::client {

namespace {

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// The word ssh(1) uses in "Bad SSH2 <word> spec".
const char* spec_word(AlgorithmKind kind)
{
    switch (kind) {
        case AlgorithmKind::cipher:
            return "cipher";
        case AlgorithmKind::mac:
            return "Mac";
        case AlgorithmKind::kex:
            return "KexAlgorithms";
        case AlgorithmKind::host_key:
            return "HostKeyAlgorithms";
        case AlgorithmKind::pubkey:
            return "PubkeyAcceptedAlgorithms";
    }
    return "algorithm";
}

std::optional<std::vector<std::string>> resolve(AlgorithmKind kind, std::string_view spec,
                                                std::string& error)
{
    std::string detail;
    auto names = crypto::apply_algorithm_list(spec, default_algorithms(kind),
                                              supported_algorithms(kind), &detail);
    if (!names) {
        error = "Bad SSH2 " + std::string(spec_word(kind)) + " spec '" + std::string(spec) +
                "': " + detail;
    }
    return names;
}

}  // namespace

const std::vector<std::string>& supported_algorithms(AlgorithmKind kind)
{
    switch (kind) {
        case AlgorithmKind::cipher:
            return crypto::supported_ciphers();
        case AlgorithmKind::mac:
            return crypto::supported_macs();
        case AlgorithmKind::kex:
            return crypto::supported_kex();
        case AlgorithmKind::host_key:
        case AlgorithmKind::pubkey:
            return crypto::supported_signature_algorithms();
    }
    return crypto::supported_ciphers();
}

std::vector<std::string> default_algorithms(AlgorithmKind kind)
{
    switch (kind) {
        case AlgorithmKind::cipher:
            return crypto::default_ciphers();
        case AlgorithmKind::mac:
            return crypto::default_macs();
        case AlgorithmKind::kex:
            return crypto::default_kex(crypto::Side::client);
        case AlgorithmKind::host_key:
            return crypto::default_host_key_algorithms();
        case AlgorithmKind::pubkey:
            return crypto::default_pubkey_algorithms();
    }
    return {};
}

std::optional<std::string> check_algorithm_spec(AlgorithmKind kind, std::string_view spec)
{
    std::string error;
    if (!resolve(kind, spec, error)) {
        return error;
    }
    return std::nullopt;
}

std::vector<std::string> order_host_key_algorithms(const std::vector<std::string>& algorithms,
                                                   const std::vector<std::string>& known_key_types)
{
    std::vector<std::string> known;
    std::vector<std::string> others;
    for (const std::string& algorithm : algorithms) {
        const std::string key_type = crypto::key_type_for_signature(algorithm);
        const bool on_record = std::find(known_key_types.begin(), known_key_types.end(),
                                         key_type) != known_key_types.end();
        (on_record ? known : others).push_back(algorithm);
    }
    known.insert(known.end(), others.begin(), others.end());
    return known;
}

std::optional<AlgorithmSelection> select_algorithms(const Settings& settings,
                                                    const std::vector<std::string>& known_key_types,
                                                    std::string& error)
{
    AlgorithmSelection out;
    const struct {
        AlgorithmKind kind;
        std::string spec;
        std::vector<std::string>* slot;
    } lists[] = {
        {AlgorithmKind::kex, settings.kex_spec, &out.kex},
        {AlgorithmKind::cipher, settings.cipher_spec, &out.ciphers},
        {AlgorithmKind::mac, settings.mac_spec, &out.macs},
        {AlgorithmKind::host_key, settings.host_key_spec.value_or(""), &out.host_keys},
        {AlgorithmKind::pubkey, settings.pubkey_spec, &out.pubkeys},
    };
    for (const auto& list : lists) {
        auto names = resolve(list.kind, list.spec, error);
        if (!names) {
            return std::nullopt;
        }
        *list.slot = std::move(*names);
    }
    if (!settings.host_key_spec) {
        // ssh(1): only the default list is reordered; an explicit one is the
        // user's choice.
        out.host_keys = order_host_key_algorithms(out.host_keys, known_key_types);
    }
    // ssh_config(5) Compression: zlib@openssh.com starts after authentication.
    out.compression = settings.compression ? std::vector<std::string>{"zlib@openssh.com", "none"}
                                           : std::vector<std::string>{"none"};
    return out;
}

std::optional<std::vector<std::string>> query_algorithms(std::string_view what)
{
    if (what == "cipher" || iequals(what, "Ciphers")) {
        return crypto::supported_ciphers();
    }
    if (what == "cipher-auth") {
        return crypto::supported_aead_ciphers();
    }
    if (what == "mac" || iequals(what, "MACs")) {
        return crypto::supported_macs();
    }
    if (what == "kex" || iequals(what, "KexAlgorithms")) {
        return crypto::supported_kex();
    }
    if (what == "key" || what == "key-plain") {
        return crypto::supported_key_types();
    }
    if (what == "sig" || iequals(what, "HostKeyAlgorithms") ||
        iequals(what, "PubkeyAcceptedAlgorithms") || iequals(what, "PubkeyAcceptedKeyTypes")) {
        return crypto::supported_signature_algorithms();
    }
    return std::nullopt;
}

}  // namespace burrow::client
