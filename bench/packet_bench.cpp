// Throughput of seal+open for 32 KiB packets through our packet keys, next
// to Botan's own AEAD modes for the same primitive and size, and the number
// of heap allocations per packet on our path (which should be zero).
//
// The bench sits beside crypto/ and, like its tests, talks to Botan directly
// for the "raw" reference numbers.
#include <botan/aead.h>

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

Result bench_ours(const std::string& cipher)
{
    const auto k = bc::shared_secret_from_unsigned(burrow::Bytes(32, 0x5a));
    const burrow::Bytes h(32, 0x11);
    const bc::KeyMaterial km{"SHA-256", &k, h, h};
    auto sealer = bc::make_sealing_key(cipher, "", km, bc::Direction::client_to_server);
    auto opener = bc::make_opening_key(cipher, "", km, bc::Direction::client_to_server);
    burrow::Bytes packet(4 + body_size, 0x42);
    burrow::Bytes tag(sealer->traits().tag_size);
    const uint32_t length = static_cast<uint32_t>(body_size);
    uint32_t seqno = 0;
    return measure([&] {
        packet[0] = static_cast<uint8_t>(length >> 24);
        packet[1] = static_cast<uint8_t>(length >> 16);
        packet[2] = static_cast<uint8_t>(length >> 8);
        packet[3] = static_cast<uint8_t>(length);
        sealer->seal(seqno, packet, tag);
        if (opener->decrypt_length(seqno, packet) != length || !opener->open(seqno, packet, tag)) {
            std::fprintf(stderr, "%s: open failed\n", cipher.c_str());
            std::exit(1);
        }
        ++seqno;
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
    std::printf("  %-34s %9.1f MB/s  %6.2f allocs/packet\n", label, r.mb_per_s,
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
    for (const auto& cipher : bc::supported_ciphers()) {
        std::printf("%s\n", cipher.c_str());
        print("burrow SealingKey+OpeningKey", bench_ours(cipher));
        if (cipher == "chacha20-poly1305@openssh.com") {
            print("Botan ChaCha20Poly1305 (raw)", bench_raw("ChaCha20Poly1305", 32, 8));
        } else if (cipher == "aes128-gcm@openssh.com") {
            print("Botan AES-128/GCM (raw)", bench_raw("AES-128/GCM", 16, 12));
        } else if (cipher == "aes256-gcm@openssh.com") {
            print("Botan AES-256/GCM (raw)", bench_raw("AES-256/GCM", 32, 12));
        }
    }
    return 0;
}
