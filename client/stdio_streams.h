// The client's local standard streams: an asynchronous stdin reader that
// also copes with files and /dev/null, blocking-safe writes for stdout and
// stderr, and restoration of the descriptors' flags on exit.
#pragma once

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>

#include "crypto/bytes.h"

namespace burrow::client {

/// Saves the file status flags of fds 0, 1 and 2 and puts them back when
/// destroyed: Asio switches descriptors to O_NONBLOCK, and those open file
/// descriptions are shared with the parent shell.
class FdFlagsGuard {
public:
    FdFlagsGuard();
    ~FdFlagsGuard();
    FdFlagsGuard(const FdFlagsGuard&) = delete;
    FdFlagsGuard& operator=(const FdFlagsGuard&) = delete;

private:
    std::array<int, 3> m_flags;
};

/// Write all of `data` to `fd`, waiting (poll) if it is non-blocking and
/// full. False on a write error (e.g. EPIPE: the reader went away).
bool write_fully(int fd, ByteView data);

/// Reads standard input one chunk at a time.
class StdinReader {
public:
    /// Called once per read: data, or `eof` = true at end of input or error.
    using Handler = std::function<void(ByteView data, bool eof)>;

    /// `use_stdin` false behaves like an empty input (ssh -n).
    StdinReader(const boost::asio::any_io_executor& executor, bool use_stdin);

    /// Start reading at most `max` bytes (> 0); `handler` runs later on the
    /// executor, never inside this call.
    void read(size_t max, Handler handler);
    bool busy() const { return m_busy; }
    /// Stop: a pending read completes with eof; later reads report eof.
    void close();
    /// Put O_NONBLOCK back on standard input after a stop (SIGTSTP): the
    /// shell that ran us in between clears it on the shared open file
    /// description, and a blocking read would stall the event loop.
    void restore_nonblocking();

private:
    void read_blocking(size_t max, Handler handler);

    boost::asio::any_io_executor m_executor;
    boost::asio::posix::stream_descriptor m_descriptor;
    bool m_open = false;
    bool m_busy = false;
    bool m_blocking = false;  ///< the reactor cannot wait on this fd: plain reads
    std::array<uint8_t, 32768> m_buffer{};
};

}  // namespace burrow::client
