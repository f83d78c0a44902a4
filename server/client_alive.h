// sshd_config(5) ClientAliveInterval / ClientAliveCountMax: every interval
// burrowd asks the client for a reply (keepalive@openssh.com, any answer
// counts); after CountMax unanswered requests the client is gone and the
// connection is dropped, as sshd(8) does.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace burrow::server {

class ClientAlive final {
public:
    /// `send_probe` sends one keepalive request; `give_up` ends the connection.
    ClientAlive(const boost::asio::any_io_executor& executor, std::chrono::seconds interval,
                unsigned count_max, std::function<void()> send_probe,
                std::function<void()> give_up);
    ~ClientAlive();
    ClientAlive(const ClientAlive&) = delete;
    ClientAlive& operator=(const ClientAlive&) = delete;

    /// Begin probing (no-op when the interval is zero).
    void start();
    /// A reply to one of our global requests arrived: the client is alive.
    void on_reply();
    /// The connection is ending.
    void stop();

private:
    boost::asio::awaitable<void> run(std::shared_ptr<bool> alive);

    boost::asio::steady_timer m_timer;
    const std::chrono::seconds m_interval;
    const unsigned m_count_max;
    std::function<void()> m_send_probe;
    std::function<void()> m_give_up;
    unsigned m_unanswered = 0;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace burrow::server
