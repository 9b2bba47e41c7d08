# -DUXF_BUILD_FUZZ=ON (preset `fuzz`, clang): every library is built with libFuzzer's coverage instrumentation
# and AddressSanitizer + UndefinedBehaviorSanitizer (any undefined behaviour aborts), so the harnesses in fuzz/
# find memory errors and UB in the code they call, not only in themselves.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "UXF_BUILD_FUZZ needs clang (cmake --preset fuzz uses clang++-14)")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=address,undefined)
