#include "client/connect.h"

#include <boost/asio/connect.hpp>
#include <string>

namespace burrow::client {

std::optional<boost::asio::ip::tcp::socket> connect_to_host(boost::asio::io_context& io,
                                                            const Settings& settings,
                                                            const Logger& log)
{
    namespace ip = boost::asio::ip;
    const std::string port = std::to_string(settings.port);
    ip::tcp::resolver resolver(io);
    boost::system::error_code ec;
    ip::tcp::resolver::results_type results;
    switch (settings.address_family) {
        case AddressFamily::inet:
            results = resolver.resolve(ip::tcp::v4(), settings.connect_host, port,
                                       ip::resolver_base::numeric_service, ec);
            break;
        case AddressFamily::inet6:
            results = resolver.resolve(ip::tcp::v6(), settings.connect_host, port,
                                       ip::resolver_base::numeric_service, ec);
            break;
        case AddressFamily::any:
            results = resolver.resolve(settings.connect_host, port,
                                       ip::resolver_base::numeric_service, ec);
            break;
    }
    if (ec) {
        log.error("burrow: Could not resolve hostname " + settings.connect_host + ": " +
                  ec.message());
        return std::nullopt;
    }
    ip::tcp::socket socket(io);
    for (const auto& entry : results) {
        const ip::tcp::endpoint endpoint = entry.endpoint();
        log.debug1("Connecting to " + settings.connect_host + " [" +
                   endpoint.address().to_string() + "] port " + port + ".");
        boost::system::error_code ignored;
        socket.close(ignored);
        socket.connect(endpoint, ec);
        if (!ec) {
            log.debug1("Connection established.");
            // Interactive traffic: do not delay small segments.
            socket.set_option(ip::tcp::no_delay(true), ignored);
            return socket;
        }
        log.debug1("connect to address " + endpoint.address().to_string() + " port " + port + ": " +
                   ec.message());
    }
    log.error("burrow: connect to host " + settings.connect_host + " port " + port + ": " +
              (ec ? ec.message() : std::string("no address found")));
    return std::nullopt;
}

}  // namespace burrow::client
