# Writes INPUT as a C++ byte array named VAR into OUTPUT (cmake -P, at build time).
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}" "#pragma once\n// Generated from ${INPUT}: do not edit.\nnamespace canopy::beam {\n/// The compiled agent module loaded onto the observed node.\ninline constexpr char ${VAR}[] = {${bytes}};\n}\n")
