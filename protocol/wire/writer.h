// Appends RFC 4251 §5 data types to a caller-owned buffer. The buffer is
// reused across packets, so steady-state writing does not allocate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace burrow::protocol::wire {

class Writer {
public:
    explicit Writer(Bytes& out) : m_out(out) {}

    void put_u8(uint8_t v) { m_out.push_back(v); }
    void put_bool(bool v) { m_out.push_back(v ? 1 : 0); }
    void put_u32(uint32_t v);
    void put_u64(uint64_t v);
    void put_string(ByteView s);
    void put_string(std::string_view s) { put_string(as_bytes(s)); }
    /// Non-negative integer given as unsigned big-endian magnitude.
    void put_mpint_unsigned(ByteView magnitude);
    void put_name_list(const std::vector<std::string>& names);
    void put_bytes(ByteView b) { m_out.insert(m_out.end(), b.begin(), b.end()); }

private:
    Bytes& m_out;
};

}  // namespace burrow::protocol::wire
