// The one place that maps SSH algorithm names to implementations, and that
// holds the default offers (strongest first, like OpenSSH 9.x).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/kex_method.h"

namespace burrow::crypto {

/// Which end makes an offer: some defaults differ (the server does not
/// offer NIST-curve kex by default).
enum class Side { client, server };

// ---- everything implemented (what `burrow -Q` lists), strongest first ----
const std::vector<std::string>& supported_kex();
const std::vector<std::string>& supported_ciphers();
/// AEAD ciphers only (`-Q cipher-auth`).
const std::vector<std::string>& supported_aead_ciphers();
const std::vector<std::string>& supported_macs();
/// Key types ("ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ...).
const std::vector<std::string>& supported_key_types();
/// Signature algorithms for host and user keys (incl. "ssh-rsa" = SHA-1).
const std::vector<std::string>& supported_signature_algorithms();

// ---- default offers ----
std::vector<std::string> default_kex(Side side);
std::vector<std::string> default_ciphers();
std::vector<std::string> default_macs();
/// Host key signature algorithms offered/accepted by default (no "ssh-rsa").
std::vector<std::string> default_host_key_algorithms();
/// Public key signature algorithms for user auth by default (no "ssh-rsa").
std::vector<std::string> default_pubkey_algorithms();

/// A fresh instance of a fixed-group kex method; nullptr if unknown or if
/// `name` is a group exchange (see is_group_exchange()).
std::unique_ptr<KexMethod> make_kex(std::string_view name);
/// True for "diffie-hellman-group-exchange-*" (RFC 4419 message flow).
bool is_group_exchange(std::string_view name);
/// Hash of a kex method by name ("SHA-256"...), "" if unknown.
std::string kex_hash_name(std::string_view name);

}  // namespace burrow::crypto
