#include "protocol/asio/byte_stream.h"

namespace burrow::protocol::asio {

namespace net = boost::asio;

ByteStream::ByteStream(net::ip::tcp::socket& socket)
    : m_executor(socket.get_executor()), m_socket(&socket)
{
}

ByteStream::ByteStream(const executor_type& executor, int in_fd, int out_fd) : m_executor(executor)
{
    m_in.emplace(executor, in_fd);
    m_out.emplace(executor, out_fd);
}

void ByteStream::shutdown()
{
    boost::system::error_code ignored;
    if (m_socket != nullptr) {
        m_socket->shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        m_socket->cancel(ignored);
        return;
    }
    // A pipe has no half-close: closing our write end is the EOF.
    m_out->close(ignored);
    m_in->cancel(ignored);
}

void ByteStream::close()
{
    boost::system::error_code ignored;
    if (m_socket != nullptr) {
        m_socket->close(ignored);
        return;
    }
    m_in->close(ignored);
    m_out->close(ignored);
}

}  // namespace burrow::protocol::asio
