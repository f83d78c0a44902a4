// ssh(1) -f: continue in the background once authenticated (or once the
// forwardings are confirmed with ExitOnForwardFailure).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <string>

namespace burrow::client {

/// Fork; the parent exits with status 0 at once (without running
/// destructors: the child owns the connection), the child starts a new
/// session (no controlling terminal) and returns true. The executor's
/// context is told about the fork so its reactor works in the child.
/// False with `error` set if fork(2) failed.
bool fork_to_background(const boost::asio::any_io_executor& executor, std::string& error);

}  // namespace burrow::client
