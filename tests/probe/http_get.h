#pragma once
#include <cstdint>
#include <string>

namespace canopy::introspection::test {

/// GET `path` from 127.0.0.1:port over HTTP/1.1 with a blocking socket; returns the whole response
/// (status line, headers, body) or "" when the connection failed.
std::string httpGet(std::uint16_t port, const std::string& path = "/metrics");

/// The body of an HTTP response ("" when there is none).
std::string httpBody(const std::string& response);

} // namespace canopy::introspection::test
