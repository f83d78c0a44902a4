// The duplex byte stream the Driver runs a Connection over: a TCP socket (the
// usual case, and burrowd -i under inetd), or a pair of file descriptors
// (burrowd -i as an OpenSSH ProxyCommand: stdin and stdout are pipes). Both
// forms meet Asio's AsyncReadStream/AsyncWriteStream requirements, so
// async_read/async_write work on it; the choice costs one branch per
// operation and no allocation (the completion handler is passed through).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstddef>
#include <optional>
#include <utility>

namespace burrow::protocol::asio {

class ByteStream final {
public:
    using executor_type = boost::asio::any_io_executor;

    /// Borrow a connected socket; it must outlive the stream.
    explicit ByteStream(boost::asio::ip::tcp::socket& socket);

    /// Own two descriptors: bytes are read from `in_fd` and written to
    /// `out_fd` (distinct descriptors, e.g. dup()s of stdin and stdout).
    ByteStream(const executor_type& executor, int in_fd, int out_fd);

    ByteStream(const ByteStream&) = delete;
    ByteStream& operator=(const ByteStream&) = delete;

    executor_type get_executor() const { return m_executor; }

    template <typename MutableBuffers, typename Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, size_t)>(
            [this](auto handler, const MutableBuffers& b) {
                if (m_socket != nullptr) {
                    m_socket->async_read_some(b, std::move(handler));
                } else {
                    m_in->async_read_some(b, std::move(handler));
                }
            },
            token, buffers);
    }

    template <typename ConstBuffers, typename Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, size_t)>(
            [this](auto handler, const ConstBuffers& b) {
                if (m_socket != nullptr) {
                    m_socket->async_write_some(b, std::move(handler));
                } else {
                    m_out->async_write_some(b, std::move(handler));
                }
            },
            token, buffers);
    }

    /// End the outgoing stream (the peer reads EOF) and abort a pending read.
    void shutdown();

    /// Release the descriptors (a borrowed socket is closed too).
    void close();

private:
    executor_type m_executor;
    boost::asio::ip::tcp::socket* m_socket = nullptr;
    std::optional<boost::asio::posix::stream_descriptor> m_in;
    std::optional<boost::asio::posix::stream_descriptor> m_out;
};

}  // namespace burrow::protocol::asio
