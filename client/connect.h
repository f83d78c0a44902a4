// Name resolution and TCP connection for the client (IPv4 and IPv6).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>

#include "client/log.h"
#include "client/options.h"

namespace burrow::client {

/// Resolve settings.connect_host and connect to the first address that
/// answers, logging like ssh(1). nullopt (error already printed) on failure.
std::optional<boost::asio::ip::tcp::socket> connect_to_host(boost::asio::io_context& io,
                                                            const Settings& settings,
                                                            const Logger& log);

}  // namespace burrow::client
