# Runs a program and passes only when it exits with status 0 AND its standard output matches every
# expected regular expression (CTest's PASS_REGULAR_EXPRESSION alone ignores the exit status).
#
#   cmake -DEXPECT_1=<regex> [-DEXPECT_2=<regex> ... -DEXPECT_9=<regex>] [-DFORBID=<regex>]
#         -P expect_output.cmake -- <program> [args...]
#
# FORBID: a regular expression that must not occur in standard output or standard error.
# Program arguments cannot contain ';' (refused).
# On failure prints the exit status, the unmet expectation and both streams.
set(_command "")
set(_seen_separator FALSE)
math(EXPR _last "${CMAKE_ARGC} - 1")
foreach(_i RANGE 1 ${_last})
    if(_seen_separator)
        if("${CMAKE_ARGV${_i}}" MATCHES ";")
            message(FATAL_ERROR "expect_output: arguments cannot contain ';' (CMake lists): ${CMAKE_ARGV${_i}}")
        endif()
        list(APPEND _command "${CMAKE_ARGV${_i}}")
    elseif("${CMAKE_ARGV${_i}}" STREQUAL "--")
        set(_seen_separator TRUE)
    endif()
endforeach()
if(NOT _command)
    message(FATAL_ERROR "expect_output: no program given (after --)")
endif()

execute_process(COMMAND ${_command} RESULT_VARIABLE _status OUTPUT_VARIABLE _out ERROR_VARIABLE _err)

set(_problems "")
if(NOT "${_status}" STREQUAL "0")
    string(APPEND _problems "exit status ${_status} (expected 0)\n")
endif()
set(_expectations 0)
foreach(_n RANGE 1 9)
    if(DEFINED EXPECT_${_n})
        math(EXPR _expectations "${_expectations} + 1")
        if(NOT _out MATCHES "${EXPECT_${_n}}")
            string(APPEND _problems "standard output does not match: ${EXPECT_${_n}}\n")
        endif()
    endif()
endforeach()
if(_expectations EQUAL 0)
    message(FATAL_ERROR "expect_output: no EXPECT_1 given (an exit status alone is not a smoke test)")
endif()
if(DEFINED FORBID AND ("${_out}${_err}" MATCHES "${FORBID}"))
    string(APPEND _problems "output matches the forbidden: ${FORBID}\n")
endif()

if(_problems)
    message("---- standard output\n${_out}---- standard error\n${_err}----")
    message(FATAL_ERROR "expect_output: ${_command}:\n${_problems}")
endif()
message("${_out}")
