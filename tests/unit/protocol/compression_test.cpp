// zlib@openssh.com compression: many packets through one stream, limits
// against decompression bombs, corrupt input, and interop with Python's zlib
// (an independent implementation of the same flush discipline).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "protocol/error.h"
#include "protocol/transport/compression.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::crypto::test::from_hex;
using burrow::crypto::test::run_command;
using burrow::crypto::test::to_hex;
using burrow::protocol::DisconnectReason;
using burrow::protocol::ProtocolError;
using burrow::protocol::transport::Compressor;
using burrow::protocol::transport::Decompressor;

namespace {

constexpr size_t max_payload = 256 * 1024;

/// Deterministic packets: text-like repetition mixed with pseudo-random runs,
/// of varying length (including 1 byte and a large one).
std::vector<Bytes> sample_packets(size_t count)
{
    std::vector<Bytes> out;
    uint32_t x = 12345;
    for (size_t i = 0; i < count; ++i) {
        const size_t len = i == 0 ? 1 : (i % 50 == 7 ? 40000 : 1 + (i * 37) % 1500);
        Bytes p(len);
        for (size_t j = 0; j < len; ++j) {
            x = x * 1103515245 + 12345;
            p[j] = (i % 3 == 0) ? static_cast<uint8_t>(x >> 24)
                                : static_cast<uint8_t>("burrow channel data "[(i + j) % 20]);
        }
        out.push_back(std::move(p));
    }
    return out;
}

DisconnectReason reason_of(Decompressor& d, const Bytes& in, size_t max_size)
{
    Bytes out;
    try {
        d.decompress(in, out, max_size);
    } catch (const ProtocolError& e) {
        return e.reason();
    }
    FAIL("decompress accepted the input");
    return DisconnectReason::reserved;
}

/// A scratch directory removed on scope exit.
struct TempDir {
    TempDir()
        : path(std::filesystem::temp_directory_path() /
               ("burrow-compression-test-" + std::to_string(::getpid())))
    {
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::filesystem::path path;
};

void write_hex_lines(const std::filesystem::path& file, const std::vector<Bytes>& items)
{
    std::ofstream f(file);
    for (const auto& item : items) {
        f << to_hex(item) << "\n";
    }
}

std::vector<Bytes> parse_hex_lines(const std::string& text)
{
    std::vector<Bytes> out;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = text.find('\n', pos);
        const size_t stop = end == std::string::npos ? text.size() : end;
        out.push_back(from_hex(std::string_view(text).substr(pos, stop - pos)));
        pos = stop + 1;
    }
    return out;
}

bool have_python_zlib()
{
    std::string ignored;
    return run_command("python3 -c 'import zlib' 2>/dev/null", ignored) == 0;
}

// Reads hex lines from argv[2]; "compress": one compressobj, each line
// compressed and ended with Z_PARTIAL_FLUSH (as OpenSSH does); "decompress":
// one decompressobj, each line decompressed on its own. Prints hex lines.
const char* const python_script = R"PY(
import sys, zlib
mode, path = sys.argv[1], sys.argv[2]
lines = [bytes.fromhex(l.strip()) for l in open(path)]
if mode == 'compress':
    c = zlib.compressobj()
    for p in lines:
        print((c.compress(p) + c.flush(zlib.Z_PARTIAL_FLUSH)).hex())
else:
    d = zlib.decompressobj()
    for p in lines:
        print(d.decompress(p).hex())
)PY";

std::vector<Bytes> run_python(const TempDir& dir, const char* mode, const std::vector<Bytes>& in)
{
    const auto script = dir.path / "zlib_peer.py";
    std::ofstream(script) << python_script;
    const auto input = dir.path / (std::string(mode) + ".in");
    write_hex_lines(input, in);
    std::string out;
    const int rc =
        run_command("python3 '" + script.string() + "' " + mode + " '" + input.string() + "'", out);
    REQUIRE(rc == 0);
    return parse_hex_lines(out);
}

}  // namespace

TEST_CASE("compression: many packets round trip through one stream", "[compression]")
{
    Compressor c;
    Decompressor d;
    const auto packets = sample_packets(400);
    Bytes wire;  // reused, as the packet layer does
    Bytes plain;
    size_t total_in = 0;
    size_t total_out = 0;
    for (const auto& p : packets) {
        wire.clear();
        c.compress(p, wire);
        total_in += p.size();
        total_out += wire.size();
        d.decompress(wire, plain, max_payload);
        REQUIRE(plain == p);
    }
    // Two thirds of the packets are highly repetitive.
    CHECK(total_out < total_in / 2);

    // compress() appends: what was already in `out` stays in front.
    Bytes prefixed = {1, 2, 3};
    c.compress(packets[5], prefixed);
    REQUIRE(prefixed.size() > 3);
    CHECK(prefixed[0] == 1);
    d.decompress(burrow::ByteView(prefixed).subspan(3), plain, max_payload);
    CHECK(plain == packets[5]);
}

TEST_CASE("compression: a decompression bomb is rejected at the limit", "[compression]")
{
    Compressor c;
    Bytes bomb;
    c.compress(Bytes(8 * 1024 * 1024, 0), bomb);
    CHECK(bomb.size() < 64 * 1024);
    Decompressor d;
    CHECK(reason_of(d, bomb, max_payload) == DisconnectReason::compression_error);

    // Exactly at the limit is fine; one byte over is not.
    Compressor c2;
    Decompressor d2;
    Bytes exact;
    c2.compress(Bytes(1000, 'a'), exact);
    Bytes out;
    d2.decompress(exact, out, 1000);
    CHECK(out == Bytes(1000, 'a'));
    Bytes over;
    c2.compress(Bytes(1001, 'b'), over);
    CHECK(reason_of(d2, over, 1000) == DisconnectReason::compression_error);
}

TEST_CASE("compression: corrupt input is rejected", "[compression]")
{
    Decompressor bad_header;
    CHECK(reason_of(bad_header, Bytes{0x78, 0x00, 0x01, 0x02}, max_payload) ==
          DisconnectReason::compression_error);

    // A valid first packet, then a block with the reserved type 3 (RFC 1951 §3.2.3).
    Compressor c;
    Decompressor d;
    Bytes first;
    c.compress(Bytes(100, 'x'), first);
    Bytes out;
    d.decompress(first, out, max_payload);
    CHECK(out == Bytes(100, 'x'));
    CHECK(reason_of(d, Bytes(16, 0xff), max_payload) == DisconnectReason::compression_error);

    // A packet that ends the stream: zlib@openssh.com streams never end.
    Decompressor d3;
    CHECK(reason_of(d3, from_hex("789c4b4c4a0600024d0127"), max_payload) ==
          DisconnectReason::compression_error);
}

TEST_CASE("compression: interoperates with Python's zlib both ways", "[compression]")
{
    if (!have_python_zlib()) {
        WARN("python3 with zlib not available: interop not checked");
        return;
    }
    const TempDir dir;
    const auto packets = sample_packets(120);

    // Ours -> Python.
    Compressor c;
    std::vector<Bytes> ours;
    for (const auto& p : packets) {
        Bytes wire;
        c.compress(p, wire);
        ours.push_back(std::move(wire));
    }
    const auto python_plain = run_python(dir, "decompress", ours);
    REQUIRE(python_plain.size() == packets.size());
    for (size_t i = 0; i < packets.size(); ++i) {
        INFO("packet " << i);
        CHECK(python_plain[i] == packets[i]);
    }

    // Python -> ours.
    const auto python_wire = run_python(dir, "compress", packets);
    REQUIRE(python_wire.size() == packets.size());
    Decompressor d;
    Bytes plain;
    for (size_t i = 0; i < packets.size(); ++i) {
        INFO("packet " << i);
        d.decompress(python_wire[i], plain, max_payload);
        CHECK(plain == packets[i]);
    }
}
