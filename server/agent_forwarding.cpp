#include "server/agent_forwarding.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "server/log.h"

namespace burrow::server {

namespace {

namespace net = boost::asio;
using UnixSocket = net::local::stream_protocol::socket;

/// mkdtemp(3) template: the directory name is unguessable.
constexpr const char* dir_template = "/tmp/ssh-XXXXXXXXXX";

std::string errno_text(const std::string& what)
{
    return what + ": " + std::strerror(errno);
}

}  // namespace

AgentForwarding::AgentForwarding(const net::any_io_executor& executor, protocol::Connection& conn,
                                 protocol::asio::Driver& driver)
    : m_conn(conn), m_driver(driver), m_acceptor(executor)
{
}

AgentForwarding::~AgentForwarding()
{
    stop();
}

std::string AgentForwarding::start(const UserInfo& user)
{
    if (m_requested) {
        return "agent forwarding requested twice";
    }
    m_requested = true;
    // Created by root with mode 0700 and handed to the user only once the
    // socket is in place; every later step goes through the directory's
    // descriptor, so nothing can be redirected through a symlink.
    std::string dir = dir_template;
    if (mkdtemp(dir.data()) == nullptr) {
        return errno_text("mkdtemp " + dir);
    }
    m_dir = dir;
    m_dir_fd = ::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (m_dir_fd < 0) {
        const std::string error = errno_text("open " + m_dir);
        remove_files();  // m_path is still empty
        return error;
    }
    m_name = "agent." + std::to_string(::getpid());
    m_path = m_dir + "/" + m_name;
    boost::system::error_code ec;
    m_acceptor.open(net::local::stream_protocol(), ec);
    if (!ec) {
        m_acceptor.bind(net::local::stream_protocol::endpoint(m_path), ec);
    }
    if (!ec) {
        m_acceptor.listen(net::socket_base::max_listen_connections, ec);
    }
    std::string error;
    if (ec) {
        error = "agent socket " + m_path + ": " + ec.message();
    } else if (fchmodat(m_dir_fd, m_name.c_str(), S_IRUSR | S_IWUSR, 0) != 0 ||
               fchownat(m_dir_fd, m_name.c_str(), user.uid, user.gid, AT_SYMLINK_NOFOLLOW) != 0 ||
               fchown(m_dir_fd, user.uid, user.gid) != 0) {
        error = errno_text("agent socket " + m_path + " for " + user.name);
    }
    if (!error.empty()) {
        stop();
        m_path.clear();
        return error;
    }
    log_debug("agent forwarding: listening on " + m_path + " for " + user.name);
    accept_next();
    return {};
}

void AgentForwarding::accept_next()
{
    std::weak_ptr<bool> alive = m_alive;
    m_acceptor.async_accept([this, alive](const boost::system::error_code& ec, UnixSocket socket) {
        if (alive.expired() || !m_acceptor.is_open()) {
            return;  // stopped: `this` may be gone, the socket closes itself
        }
        if (!ec) {
            on_accepted(std::move(socket));
        } else {
            log_debug("agent forwarding: accept: " + ec.message());
        }
        accept_next();
    });
}

void AgentForwarding::on_accepted(UnixSocket socket)
{
    // PROTOCOL.agent: the channel has no type-specific fields.
    const std::optional<protocol::ChannelId> id = m_conn.open_channel(agent_channel_type);
    m_driver.notify();
    if (!id) {
        log_debug("agent forwarding: cannot open a channel for a new agent connection");
        return;  // `socket` closes: the local program sees the agent hang up
    }
    log_debug("agent forwarding: new agent connection, channel " + std::to_string(*id));
    m_pending.emplace(*id, std::move(socket));
}

bool AgentForwarding::on_open_result(protocol::ChannelId id, bool ok)
{
    const auto found = m_pending.find(id);
    if (found == m_pending.end()) {
        return false;
    }
    UnixSocket socket = std::move(found->second);
    m_pending.erase(found);
    if (!ok) {
        log_debug("agent forwarding: client refused channel " + std::to_string(id));
        return true;  // `socket` closes
    }
    auto relay = std::make_shared<protocol::asio::ChannelRelay>(
        protocol::asio::ChannelRelay::Socket(std::move(socket)), m_conn, id,
        [this] { m_driver.notify(); });
    m_relays.add(relay);
    relay->start();
    return true;
}

bool AgentForwarding::on_data(protocol::ChannelId id, ByteView data)
{
    return m_relays.on_data(id, data);
}

bool AgentForwarding::on_eof(protocol::ChannelId id)
{
    return m_relays.on_eof(id);
}

bool AgentForwarding::on_window_available(protocol::ChannelId id)
{
    return m_relays.on_window_available(id);
}

bool AgentForwarding::on_closed(protocol::ChannelId id)
{
    if (m_relays.on_closed(id)) {
        log_debug("agent forwarding: channel " + std::to_string(id) + " closed");
        return true;
    }
    return m_pending.erase(id) > 0;
}

void AgentForwarding::stop()
{
    m_alive = std::make_shared<bool>(true);  // pending accept handlers see theirs expire
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    m_pending.clear();
    m_relays.shutdown_all();
    remove_files();
}

void AgentForwarding::remove_files()
{
    if (m_dir_fd >= 0) {
        if (!m_name.empty()) {
            unlinkat(m_dir_fd, m_name.c_str(), 0);
        }
        // The user owns the directory's entry in /tmp and may have replaced
        // it: remove it only if it still is the directory we created.
        struct stat ours {};
        struct stat now {};
        if (fstat(m_dir_fd, &ours) == 0 && lstat(m_dir.c_str(), &now) == 0 &&
            ours.st_dev == now.st_dev && ours.st_ino == now.st_ino) {
            rmdir(m_dir.c_str());
        }
        ::close(m_dir_fd);
        m_dir_fd = -1;
    } else if (!m_dir.empty()) {
        rmdir(m_dir.c_str());
    }
    m_dir.clear();
    m_name.clear();
}

}  // namespace burrow::server
