# -DUXF_SANITIZE=ON (preset `sanitize`, clang 14): every target, libraries, tests and fuzz harnesses, is built
# with AddressSanitizer (LeakSanitizer included) and UndefinedBehaviorSanitizer; any undefined behaviour aborts
# (-fno-sanitize-recover=all), so a finding fails the test or the fuzz run. With UXF_BUILD_FUZZ=ON the same
# objects also carry libFuzzer's coverage instrumentation (-fsanitize=fuzzer-no-link): the harnesses in fuzz/
# link them with -fsanitize=fuzzer, the test binaries link them without it (the sanitizer runtime has no-op
# coverage hooks), so one build serves `make test-sanitize` and the fuzzers.
# The per-file exceptions are in the top-level CMakeLists.txt, after the folders that own the files.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "UXF_SANITIZE needs clang (cmake --preset sanitize uses clang++-14)")
endif()
add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
if(UXF_BUILD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
