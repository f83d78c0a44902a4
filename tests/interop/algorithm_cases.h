#pragma once
/// @file
/// The algorithm matrix of issue B: every key exchange, cipher/MAC pair and host key type that
/// both OpenSSH 9.2 and burrow support, each tried on its own (the other algorithms left at
/// their defaults) in both directions: OpenSSH `ssh` -> burrowd and burrow -> OpenSSH `sshd`.
///
/// A case says how to make the client insist on the algorithm, how to make a server offer it
/// when it does not by default, and which lines OpenSSH's debug log must then show, so a client
/// that ignored the option cannot pass.

#include <string>
#include <vector>

#include "fixtures.h"

namespace burrow::interop_test {

/// One direction of the matrix: a client kind against a server kind.
struct Direction {
    ClientKind client;
    ServerKind server;
};

/// OpenSSH ssh -> burrowd, then burrow -> OpenSSH sshd.
const std::vector<Direction>& both_directions();

/// "OpenSSH ssh -> burrowd" / "burrow -> OpenSSH sshd".
std::string name_of(const Direction& direction);

struct AlgorithmCase {
    /// Shown in the section name, e.g. "kex ecdh-sha2-nistp256".
    std::string label;
    /// Client arguments that allow only the algorithm under test.
    std::vector<std::string> client_args;
    /// `-o` lines burrowd needs to offer it (empty when it does by default).
    std::vector<std::string> burrowd_options;
    /// `-o` lines sshd 9.2 needs to offer it (empty when it does by default).
    std::vector<std::string> sshd_options;
    /// Substrings OpenSSH's debug log (ssh -v or sshd at DEBUG1) must contain.
    std::vector<std::string> expected_log;
};

/// Every key exchange method, with the default cipher and host key.
std::vector<AlgorithmCase> kex_cases();
/// Every cipher, and for the non-AEAD ciphers every MAC, with the default key exchange.
std::vector<AlgorithmCase> cipher_mac_cases();

/// A host (or user) key type: how ssh-keygen makes it and the signature algorithms it serves.
struct KeyTypeCase {
    /// ssh-keygen -t and -b.
    std::string keygen_type;
    unsigned bits;
    /// Signature algorithm selected with HostKeyAlgorithms / PubkeyAcceptedAlgorithms.
    std::string algorithm;
};

/// ed25519, ecdsa 256/384/521, rsa 3072 with rsa-sha2-512 and with rsa-sha2-256.
const std::vector<KeyTypeCase>& key_type_cases();

/// "Keyword=value" for a server in @p direction: the case's options for that server kind.
const std::vector<std::string>& server_options(const AlgorithmCase& algorithm,
                                               const Direction& direction);

}  // namespace burrow::interop_test
