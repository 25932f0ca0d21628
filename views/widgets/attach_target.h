#pragma once
#include <QString>
#include <cstdint>

namespace canopy::views {

/// A live probe to attach to, as the attach dialog returns it. The token file is not read here:
/// the worker resolves token / token file / CANOPY_TOKEN / ~/.canopy_token (introspection::resolveToken).
/// Or an Erlang/Elixir node (`beam:NAME@HOST[/APP]`), which the app reaches through canopy-beam.
struct AttachTarget {
    /// Host name or address (IPv6 without brackets).
    QString host;
    std::uint16_t port = 0;
    /// The token typed in ("" = none, see tokenFile).
    QString token;
    /// A file holding the token ("" = none).
    QString tokenFile;
    /// `beam:NAME@HOST[/APP]` for a BEAM node ("" = a probe at host:port).
    QString beamNode;
    /// With a BEAM node: the file holding the Erlang cookie ("" = ~/.erlang.cookie).
    QString cookieFile;

    /// `host:port`, or `[v6]:port`, or the BEAM node.
    QString hostPort() const {
        if (!beamNode.isEmpty()) return beamNode;
        return (host.contains(':') ? '[' + host + ']' : host) + ':' + QString::number(port);
    }
};

} // namespace canopy::views
