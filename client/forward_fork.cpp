// ssh(1) -f; see client/forward_fork.h.
#include "client/forward_fork.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/execution_context.hpp>
#include <cerrno>
#include <cstring>

namespace burrow::client {

bool fork_to_background(const boost::asio::any_io_executor& executor, std::string& error)
{
    boost::asio::execution_context& context =
        boost::asio::query(executor, boost::asio::execution::context);
    context.notify_fork(boost::asio::execution_context::fork_prepare);
    const pid_t pid = ::fork();
    if (pid < 0) {
        error = std::string("fork: ") + std::strerror(errno);
        context.notify_fork(boost::asio::execution_context::fork_parent);
        return false;
    }
    if (pid > 0) {
        // The child carries on with every socket; nothing here may touch them.
        ::_exit(0);
    }
    context.notify_fork(boost::asio::execution_context::fork_child);
    ::setsid();
    // -f implies -n: the background process reads nothing from the terminal.
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
        ::dup2(null_fd, STDIN_FILENO);
        if (null_fd != STDIN_FILENO) {
            ::close(null_fd);
        }
    }
    return true;
}

}  // namespace burrow::client
