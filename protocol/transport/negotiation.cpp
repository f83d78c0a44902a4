#include "protocol/transport/negotiation.h"

#include <algorithm>

#include "crypto/packet_cipher.h"
#include "protocol/error.h"

namespace burrow::protocol::transport {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& name)
{
    return std::find(list.begin(), list.end(), name) != list.end();
}

std::string must_choose(const std::vector<std::string>& client,
                        const std::vector<std::string>& server, const char* what)
{
    auto chosen = choose(client, server);
    if (!chosen) {
        throw ProtocolError(DisconnectReason::key_exchange_failed,
                            std::string("no matching ") + what + " found");
    }
    return *chosen;
}

std::string choose_mac(const std::string& cipher, const std::vector<std::string>& client,
                       const std::vector<std::string>& server, const char* what)
{
    // AEAD ciphers carry their own integrity; the MAC lists are ignored
    // (RFC 5647 §5.1, PROTOCOL.chacha20poly1305).
    if (crypto::cipher_is_aead(cipher)) {
        return {};
    }
    return must_choose(client, server, what);
}

}  // namespace

std::optional<std::string> choose(const std::vector<std::string>& client,
                                  const std::vector<std::string>& server)
{
    for (const auto& c : client) {
        if (contains(server, c)) {
            return c;
        }
    }
    return std::nullopt;
}

Negotiated negotiate(const messages::KexInit& client, const messages::KexInit& server,
                     bool is_server, bool first_kex)
{
    Negotiated n;
    // Pseudo-algorithms are signals, not methods: leave them out of the choice.
    auto real = [](std::vector<std::string> list) {
        std::erase_if(list, [](const std::string& s) {
            return s == strict_kex_client || s == strict_kex_server || s == ext_info_client ||
                   s == ext_info_server;
        });
        return list;
    };
    n.kex = must_choose(real(client.kex), real(server.kex), "key exchange method");
    n.host_key = must_choose(client.host_key, server.host_key, "host key type");
    n.cipher_c2s = must_choose(client.cipher_c2s, server.cipher_c2s, "cipher (client to server)");
    n.cipher_s2c = must_choose(client.cipher_s2c, server.cipher_s2c, "cipher (server to client)");
    n.mac_c2s = choose_mac(n.cipher_c2s, client.mac_c2s, server.mac_c2s, "MAC (client to server)");
    n.mac_s2c = choose_mac(n.cipher_s2c, client.mac_s2c, server.mac_s2c, "MAC (server to client)");
    n.compression_c2s = must_choose(client.compression_c2s, server.compression_c2s,
                                    "compression (client to server)");
    n.compression_s2c = must_choose(client.compression_s2c, server.compression_s2c,
                                    "compression (server to client)");
    // OpenSSH PROTOCOL §1.10: strict kex only if both sides offer it in the first KEXINIT.
    n.strict_kex = first_kex && contains(client.kex, strict_kex_client) &&
                   contains(server.kex, strict_kex_server);
    n.peer_wants_ext_info = is_server && first_kex && contains(client.kex, ext_info_client);
    // RFC 4253 §7.1: a guessed packet is wrong if the guessed kex or host key
    // algorithm (the peer's first entries) differ from the negotiated ones.
    const messages::KexInit& peer = is_server ? client : server;
    if (peer.first_kex_packet_follows) {
        const bool right = !peer.kex.empty() && peer.kex.front() == n.kex &&
                           !peer.host_key.empty() && peer.host_key.front() == n.host_key;
        n.ignore_guessed_packet = !right;
    }
    return n;
}

}  // namespace burrow::protocol::transport
