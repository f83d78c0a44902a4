#include "server/client_alive.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace burrow::server {

namespace net = boost::asio;

ClientAlive::ClientAlive(const net::any_io_executor& executor, std::chrono::seconds interval,
                         unsigned count_max, std::function<void()> send_probe,
                         std::function<void()> give_up)
    : m_timer(executor),
      m_interval(interval),
      m_count_max(count_max),
      m_send_probe(std::move(send_probe)),
      m_give_up(std::move(give_up))
{
}

ClientAlive::~ClientAlive()
{
    stop();
}

void ClientAlive::start()
{
    if (m_interval.count() > 0) {
        net::co_spawn(m_timer.get_executor(), run(m_alive), net::detached);
    }
}

void ClientAlive::on_reply()
{
    m_unanswered = 0;
}

void ClientAlive::stop()
{
    *m_alive = false;
    m_timer.cancel();
}

net::awaitable<void> ClientAlive::run(std::shared_ptr<bool> alive)
{
    // Ends when stopped: every iteration waits on the cancellable timer.
    while (*alive) {
        m_timer.expires_after(m_interval);
        auto [ec] = co_await m_timer.async_wait(net::as_tuple(net::use_awaitable));
        if (ec || !*alive) {
            co_return;
        }
        // ClientAliveCountMax 0 never gives up (sshd_config(5)).
        if (m_count_max > 0 && m_unanswered >= m_count_max) {
            m_give_up();
            co_return;
        }
        ++m_unanswered;
        m_send_probe();
    }
}

}  // namespace burrow::server
