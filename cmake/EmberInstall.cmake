# `cmake --install` installs headers, static libraries and an `ember` CMake package so that
# another project can `find_package(ember)` and link `ember::runtime`.
include(CMakePackageConfigHelpers)
add_library(ember_portable_kernels_lib STATIC $<TARGET_OBJECTS:ember_portable_kernels>)
set_target_properties(ember_portable_kernels_lib PROPERTIES OUTPUT_NAME ember_portable_kernels)
install(TARGETS ember_core ember_module EXPORT emberTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS ember_portable_kernels_lib ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY runtime DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ember FILES_MATCHING PATTERN "*.h")
install(DIRECTORY extension/module DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ember/extension
        FILES_MATCHING PATTERN "*.h")
install(EXPORT emberTargets NAMESPACE ember:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ember)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/emberConfig.cmake.in
  ${CMAKE_BINARY_DIR}/emberConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ember)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/emberConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/emberConfig.cmake ${CMAKE_BINARY_DIR}/emberConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ember)
