#pragma once
#include <QString>
#include <cstdint>

namespace canopy::views {

/// A live probe to attach to, as the attach dialog returns it. The token file is not read here:
/// the worker resolves token / token file / CANOPY_TOKEN / ~/.canopy_token (introspection::resolveToken).
struct AttachTarget {
    /// Host name or address (IPv6 without brackets).
    QString host;
    std::uint16_t port = 0;
    /// The token typed in ("" = none, see tokenFile).
    QString token;
    /// A file holding the token ("" = none).
    QString tokenFile;

    /// `host:port`, or `[v6]:port`.
    QString hostPort() const {
        return (host.contains(':') ? '[' + host + ']' : host) + ':' + QString::number(port);
    }
};

} // namespace canopy::views
