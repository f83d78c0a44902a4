// Throughput of seal+open for 32 KiB packets through our packet keys, next
// to Botan's own AEAD modes for the same primitive and size, and the number
// of heap allocations per packet on our path (which should be zero).
//
// The bench sits beside crypto/ and, like its tests, talks to Botan directly
// for the "raw" reference numbers.
#include <botan/aead.h>
#include <botan/mac.h>
#include <botan/stream_cipher.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "crypto/packet_cipher.h"
#include "crypto/registry.h"
#include "crypto/secret_impl.h"

namespace {

namespace bc = burrow::crypto;
using Clock = std::chrono::steady_clock;

constexpr size_t body_size = 32 * 1024;
constexpr std::chrono::milliseconds run_time{500};

struct Result {
    double mb_per_s = 0;
    double allocations_per_packet = 0;
};

/// Run `one` (processing `body_size` bytes each call) for about run_time.
Result measure(const std::function<void()>& one)
{
    for (int i = 0; i < 16; ++i) {
        one();  // warm up: caches, lazily sized buffers
    }
    const uint64_t allocs_before = burrow::bench::allocations();
    const auto start = Clock::now();
    uint64_t count = 0;
    auto now = start;
    while (now - start < run_time) {
        for (int i = 0; i < 16; ++i) {
            one();
        }
        count += 16;
        now = Clock::now();
    }
    const uint64_t allocs = burrow::bench::allocations() - allocs_before;
    const double seconds = std::chrono::duration<double>(now - start).count();
    return {static_cast<double>(count * body_size) / seconds / 1e6,
            static_cast<double>(allocs) / static_cast<double>(count)};
}

Result bench_ours(const std::string& cipher, const std::string& mac)
{
    const auto k = bc::shared_secret_from_unsigned(burrow::Bytes(32, 0x5a));
    const burrow::Bytes h(32, 0x11);
    const bc::KeyMaterial km{"SHA-256", &k, h, h};
    auto sealer = bc::make_sealing_key(cipher, mac, km, bc::Direction::client_to_server);
    auto opener = bc::make_opening_key(cipher, mac, km, bc::Direction::client_to_server);
    if (!sealer || !opener) {
        std::fprintf(stderr, "%s %s: no key\n", cipher.c_str(), mac.c_str());
        std::exit(1);
    }
    // With the length inside the aligned region (classic MAC), the whole
    // packet is body_size bytes; otherwise the length comes on top.
    const bool length_aligned = !sealer->traits().length_excluded_from_alignment;
    burrow::Bytes packet(length_aligned ? body_size : 4 + body_size, 0x42);
    burrow::Bytes tag(sealer->traits().tag_size);
    const uint32_t length = static_cast<uint32_t>(packet.size() - 4);
    uint32_t seqno = 0;
    return measure([&] {
        packet[0] = static_cast<uint8_t>(length >> 24);
        packet[1] = static_cast<uint8_t>(length >> 16);
        packet[2] = static_cast<uint8_t>(length >> 8);
        packet[3] = static_cast<uint8_t>(length);
        sealer->seal(seqno, packet, tag);
        const burrow::MutableByteView header(packet.data(), opener->length_header_size());
        if (opener->decrypt_length(seqno, header) != length || !opener->open(seqno, packet, tag)) {
            std::fprintf(stderr, "%s %s: open failed\n", cipher.c_str(), mac.c_str());
            std::exit(1);
        }
        ++seqno;
    });
}

/// Botan's raw CTR + HMAC for the same size: encrypt+MAC, then MAC+decrypt.
Result bench_raw_ctr_hmac(const std::string& ctr_name, const std::string& hmac_name)
{
    auto enc = Botan::StreamCipher::create_or_throw(ctr_name);
    auto dec = Botan::StreamCipher::create_or_throw(ctr_name);
    auto mac = Botan::MessageAuthenticationCode::create_or_throw(hmac_name);
    const Botan::secure_vector<uint8_t> key(16, 0x5a);
    const std::vector<uint8_t> iv(16, 0);
    enc->set_key(key);
    dec->set_key(key);
    enc->set_iv(iv.data(), iv.size());
    dec->set_iv(iv.data(), iv.size());
    mac->set_key(key);
    std::vector<uint8_t> buf(body_size, 0x42);
    std::vector<uint8_t> tag(mac->output_length());
    return measure([&] {
        enc->cipher1(buf.data(), buf.size());
        mac->update(buf.data(), buf.size());
        mac->final(tag.data());
        mac->update(buf.data(), buf.size());
        mac->final(tag.data());
        dec->cipher1(buf.data(), buf.size());
    });
}

/// Botan's own AEAD mode: encrypt then decrypt the same size, 4 bytes of AD.
Result bench_raw(const std::string& botan_mode, size_t key_size, size_t nonce_size)
{
    auto enc = Botan::AEAD_Mode::create_or_throw(botan_mode, Botan::ENCRYPTION);
    auto dec = Botan::AEAD_Mode::create_or_throw(botan_mode, Botan::DECRYPTION);
    const Botan::secure_vector<uint8_t> key(key_size, 0x5a);
    enc->set_key(key);
    dec->set_key(key);
    std::vector<uint8_t> nonce(nonce_size, 0);
    const uint8_t ad[4] = {0, 0, 0x80, 0};
    Botan::secure_vector<uint8_t> buf(body_size, 0x42);
    return measure([&] {
        ++nonce.back();
        enc->set_associated_data(ad, sizeof ad);
        enc->start(nonce);
        enc->finish(buf);
        dec->set_associated_data(ad, sizeof ad);
        dec->start(nonce);
        dec->finish(buf);
    });
}

void print(const char* label, const Result& r)
{
    std::printf("  %-42s %9.1f MB/s  %6.2f allocs/packet\n", label, r.mb_per_s,
                r.allocations_per_packet);
}

}  // namespace

int main()
{
    // The allocation counter must see allocations, or "0 allocs" means nothing.
    const uint64_t probe_before = burrow::bench::allocations();
    const auto* probe = new std::vector<uint8_t>(1000);
    const bool counter_works = burrow::bench::allocations() > probe_before;
    delete probe;
    if (!counter_works) {
        std::fprintf(stderr, "allocation counter is not hooked in\n");
        return 1;
    }
    std::printf("seal+open of %zu-byte packets, ~%lld ms per case\n", body_size,
                static_cast<long long>(run_time.count()));
    for (const auto& cipher : bc::supported_aead_ciphers()) {
        std::printf("%s\n", cipher.c_str());
        print("burrow SealingKey+OpeningKey", bench_ours(cipher, ""));
        if (cipher == "chacha20-poly1305@openssh.com") {
            print("Botan ChaCha20Poly1305 (raw)", bench_raw("ChaCha20Poly1305", 32, 8));
        } else if (cipher == "aes128-gcm@openssh.com") {
            print("Botan AES-128/GCM (raw)", bench_raw("AES-128/GCM", 16, 12));
        } else if (cipher == "aes256-gcm@openssh.com") {
            print("Botan AES-256/GCM (raw)", bench_raw("AES-256/GCM", 32, 12));
        }
    }
    // Non-AEAD: CTR with encrypt-then-MAC and with the classic MAC order.
    for (const char* mac : {"hmac-sha2-256-etm@openssh.com", "hmac-sha2-256"}) {
        std::printf("aes128-ctr + %s\n", mac);
        print("burrow SealingKey+OpeningKey", bench_ours("aes128-ctr", mac));
    }
    print("Botan CTR-BE(AES-128)+HMAC(SHA-256) (raw)",
          bench_raw_ctr_hmac("CTR-BE(AES-128)", "HMAC(SHA-256)"));
    return 0;
}
