// Bounds-checked reader for the RFC 4251 §5 data types. Every getter checks
// the remaining length and consumes only on success; a short or malformed
// field throws ProtocolError naming the message being parsed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace burrow::protocol::wire {

class Reader {
public:
    /// `what` names the message for error texts ("SSH_MSG_KEXINIT").
    Reader(ByteView data, const char* what) : m_data(data), m_what(what) {}

    uint8_t get_u8();
    bool get_bool();
    uint32_t get_u32();
    uint64_t get_u64();
    /// RFC 4251 string as a view into the input (zero copy).
    ByteView get_string();
    /// string interpreted as text, at most `max_len` bytes.
    std::string get_text(size_t max_len);
    /// RFC 4251 name-list: comma separated, no empty names, ASCII.
    std::vector<std::string> get_name_list();
    /// mpint as its raw two's-complement bytes (validated minimal, non-negative).
    ByteView get_mpint();
    /// `n` raw bytes.
    ByteView get_bytes(size_t n);
    /// Everything left.
    ByteView get_rest();

    size_t remaining() const { return m_data.size() - m_pos; }
    /// RFC-conformant messages have no trailing bytes: reject them.
    void expect_end() const;

private:
    [[noreturn]] void fail(const char* field) const;
    void need(size_t n, const char* field) const;

    ByteView m_data;
    size_t m_pos = 0;
    const char* m_what;
};

}  // namespace burrow::protocol::wire
