# uxf_module(NAME name SOURCES ... DEPS ... [TESTS ...])
# A module is a static library with a public include/ folder, private src/ and tests beside the code
# in one test binary per module (after userver's UserverModule.cmake).
function(uxf_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(uxf_${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(uxf_${M_NAME} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                           PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(uxf_${M_NAME} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  if(M_TESTS AND UXF_BUILD_TESTS)
    add_executable(${M_NAME}_test ${M_TESTS})
    target_include_directories(${M_NAME}_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(${M_NAME}_test PRIVATE uxf_${M_NAME} ${M_TEST_DEPS} GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${M_NAME}_test DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
  endif()
endfunction()
