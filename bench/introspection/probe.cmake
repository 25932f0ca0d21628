# Probe benchmarks B14, B15, B18 (performance.md): each prints `RESULT <test> <metric> <value> <unit>`.
foreach(name probe_snapshot probe_overhead probe_restart_latency)
    add_executable(${name} ${CMAKE_CURRENT_SOURCE_DIR}/${name}.cpp)
    target_link_libraries(${name} PRIVATE canopy_probe)
    target_compile_options(${name} PRIVATE -O2)
endforeach()
