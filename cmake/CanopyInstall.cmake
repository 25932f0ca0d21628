# Installing Canopy: `cmake --install <build> [--prefix P]` puts the libraries, the headers and a
# CMake package (CanopyConfig.cmake: Canopy::runtime, Canopy::probe) plus pkg-config files in place.
#
# Headers keep the tree's paths under include/canopy/ (`#include <canopy/runtime/runtime.h>`). The
# headers themselves include each other as "runtime/..." and "introspection/..." (relative to the
# repository root, as every source in the tree does), so the exported targets also put
# include/canopy on the include path — the layout Qt uses (include/ and include/QtCore). Copies
# identical to the tree, nothing rewritten at install time; the price is that a project with its
# own top-level runtime/ or introspection/ headers should include Canopy's as <canopy/...>.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CANOPY_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Canopy)
set(_canopy_targets canopy_runtime)
set(_canopy_components runtime)
set_target_properties(canopy_runtime PROPERTIES EXPORT_NAME runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/canopy/runtime
        FILES_MATCHING PATTERN "*.h")
if(TARGET canopy_probe AND TARGET canopy_introspection)
    list(APPEND _canopy_targets canopy_introspection canopy_probe)
    list(APPEND _canopy_components introspection probe)
    set_target_properties(canopy_introspection PROPERTIES EXPORT_NAME introspection)
    set_target_properties(canopy_probe PROPERTIES EXPORT_NAME probe)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/introspection/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/canopy/introspection
            FILES_MATCHING PATTERN "*.h")
endif()
foreach(_t IN LISTS _canopy_targets)
    target_include_directories(${_t} INTERFACE
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/canopy>)
endforeach()
install(TARGETS ${_canopy_targets} EXPORT CanopyTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT CanopyTargets NAMESPACE Canopy:: DESTINATION ${CANOPY_INSTALL_CMAKEDIR})

set(CANOPY_INSTALLED_COMPONENTS "${_canopy_components}")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/CanopyConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/CanopyConfig.cmake INSTALL_DESTINATION ${CANOPY_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/CanopyConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/CanopyConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/CanopyConfigVersion.cmake
        DESTINATION ${CANOPY_INSTALL_CMAKEDIR})

# pkg-config: canopy-runtime, and canopy-probe (the probe with what it needs). Relocatable: the
# prefix is found from the .pc file's own place, so `cmake --install --prefix P` anywhere works.
file(RELATIVE_PATH CANOPY_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CANOPY_PC_TO_PREFIX "${CANOPY_PC_TO_PREFIX}")
foreach(_pc IN ITEMS runtime probe)
    if(_pc IN_LIST _canopy_components)
        configure_file(${PROJECT_SOURCE_DIR}/cmake/canopy-${_pc}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/canopy-${_pc}.pc @ONLY)
        install(FILES ${CMAKE_CURRENT_BINARY_DIR}/canopy-${_pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
    endif()
endforeach()

# A test that the package works from outside: install into a scratch prefix, then configure, build
# and run examples/out-of-tree against it with find_package(Canopy). (Not in sanitizer builds: the
# example is built without the sanitizer runtime.)
if(NOT CANOPY_SANITIZE AND "probe" IN_LIST _canopy_components)
    add_test(NAME install.out_of_tree_example
             COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}/examples/out-of-tree
                     -DSCRATCH=${PROJECT_BINARY_DIR}/install-check -DGENERATOR=${CMAKE_GENERATOR}
                     -P ${PROJECT_SOURCE_DIR}/examples/out-of-tree/check-installed.cmake)
    set_tests_properties(install.out_of_tree_example PROPERTIES TIMEOUT 600 LABELS install)
endif()
