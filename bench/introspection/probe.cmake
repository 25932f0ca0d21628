# Probe benchmarks B14, B15, B18 (performance.md): each prints `RESULT <test> <metric> <value> <unit>`.
foreach(name probe_snapshot probe_overhead probe_restart_latency)
    add_executable(${name} ${CMAKE_CURRENT_SOURCE_DIR}/${name}.cpp)
    target_link_libraries(${name} PRIVATE canopy_probe)
    target_compile_options(${name} PRIVATE -O2)
endforeach()
# The stalled-viewer churn (was a timed assertion in tst_probe); drives the probe with tests/probe's RawViewer.
add_executable(probe_stalled_viewer ${CMAKE_CURRENT_SOURCE_DIR}/probe_stalled_viewer.cpp
                                    ${PROJECT_SOURCE_DIR}/tests/probe/raw_viewer.cpp)
target_link_libraries(probe_stalled_viewer PRIVATE canopy_probe)
target_include_directories(probe_stalled_viewer PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_options(probe_stalled_viewer PRIVATE -O2)
