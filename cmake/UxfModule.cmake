# uxf_module(NAME <name> [SOURCE_DIR <dir>] [INCLUDE_DIR <dir>] [EXCLUDE <regex>...] [SOURCES <generated>...]
#            [DEPS ...] [PRIVATE_DEPS ...] [TEST_DEPS ...])
# A module is a static library `uxf_<name>` with a public include folder, private sources and tests beside the
# code, in one test binary `<name>_test` per module (after userver's userver_module). The files are found, not
# listed: every *.cpp under SOURCE_DIR (default `src`, recursively) that does not end in _test.cpp is a source,
# every *_test.cpp is a test. EXCLUDE drops paths (relative to SOURCE_DIR) matching a regex, for folders that
# build into another target. SOURCES adds generated files (cmake/Embed.cmake). INCLUDE_DIR (default `include`)
# is the public include folder; SOURCE_DIR is on the include path of the library and its tests.
function(uxf_module)
  cmake_parse_arguments(M "" "NAME;SOURCE_DIR;INCLUDE_DIR" "EXCLUDE;SOURCES;DEPS;PRIVATE_DEPS;TEST_DEPS" ${ARGN})
  if(NOT M_SOURCE_DIR)
    set(M_SOURCE_DIR src)
  endif()
  if(NOT M_INCLUDE_DIR)
    set(M_INCLUDE_DIR include)
  endif()
  cmake_path(ABSOLUTE_PATH M_SOURCE_DIR BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE OUTPUT_VARIABLE dir)
  cmake_path(ABSOLUTE_PATH M_INCLUDE_DIR BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE OUTPUT_VARIABLE inc)
  string(REGEX REPLACE "/$" "" dir "${dir}")

  file(GLOB_RECURSE files CONFIGURE_DEPENDS RELATIVE ${dir} ${dir}/*.cpp)
  foreach(regex ${M_EXCLUDE})
    list(FILTER files EXCLUDE REGEX "${regex}")
  endforeach()
  set(sources ${files})
  set(tests ${files})
  list(FILTER sources EXCLUDE REGEX "_test\\.cpp$")
  list(FILTER tests INCLUDE REGEX "_test\\.cpp$")
  list(TRANSFORM sources PREPEND ${dir}/)
  list(TRANSFORM tests PREPEND ${dir}/)

  add_library(uxf_${M_NAME} STATIC ${sources} ${M_SOURCES})
  target_include_directories(uxf_${M_NAME} PUBLIC ${inc} PRIVATE ${dir})
  target_link_libraries(uxf_${M_NAME} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  if(tests AND UXF_BUILD_TESTS)
    add_executable(${M_NAME}_test ${tests})
    target_include_directories(${M_NAME}_test PRIVATE ${dir})
    target_link_libraries(${M_NAME}_test PRIVATE uxf_${M_NAME} ${M_TEST_DEPS} GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${M_NAME}_test DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
  endif()
endfunction()
