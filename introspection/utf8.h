#pragma once
#include <cstddef>
#include <string>
#include <string_view>

/// UTF-8 checks shared by the wire writers and readers (names and reasons come from user code).
namespace canopy::introspection::utf8 {

/// Length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 when the bytes there are not
/// valid UTF-8 (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t sequenceLength(std::string_view s, std::size_t i);

/// True when `s` is valid UTF-8.
bool isValid(std::string_view s);

/// Replaces every invalid byte with U+FFFD (what a JSON writer must do; JSON text is UTF-8).
void sanitize(std::string& s);

/// Appends `s` to `out` with every invalid byte replaced by U+FFFD.
void appendSanitized(std::string_view s, std::string& out);

} // namespace canopy::introspection::utf8
