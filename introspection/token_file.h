#pragma once
#include "introspection/result.h"
#include <string>
#include <sys/stat.h>

namespace canopy::introspection {

// The probe's shared secret lives in a token file, trusted the way Erlang trusts ~/.erlang.cookie:
// only a regular file owned by the user and private to the user is read, and the default file is
// $HOME/.canopy_token — never a file in the working directory.

/// Why the token file `path` with status `st` must not be trusted, or "" when it may: not a regular
/// file, owned by another user, or accessible by group or others (the message says how to fix it).
std::string tokenFileProblem(const std::string& path, const struct stat& st);

/// Reads a token file: its first line, surrounding whitespace trimmed. Fails with one line naming the
/// file when it is missing, unreadable, untrusted (see tokenFileProblem) or empty. Never blocks on a
/// FIFO or a device.
Result<std::string> readTokenFile(const std::string& path);

/// The default token file, $HOME/.canopy_token (like Erlang's ~/.erlang.cookie). Fails, saying so,
/// when HOME is unset or empty: there is then no default, and a token or token file must be given.
Result<std::string> defaultTokenFile();

/// The token a viewer presents: `token` if given, else the first line of `tokenFile` if given, else
/// $CANOPY_TOKEN if set, else the default token file if it exists, else empty (the probe then refuses
/// with a message saying a token is needed). Errors name the refused, unreadable or empty file, or say
/// that HOME is unset when nothing else names a token.
Result<std::string> resolveToken(const std::string& token, const std::string& tokenFile);

} // namespace canopy::introspection
