# Compiler speed on 2-core machines: ccache as launcher, mold as linker when present.
find_program(UXF_CCACHE ccache)
if(UXF_CCACHE)
  # Files built with a precompiled header (target_precompile_headers) are cached only with this sloppiness and,
  # for clang, a PCH without its timestamp (ccache's manual, "Precompiled headers"); without them every such
  # compile is "could not use precompiled header", a miss on every build.
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CMAKE_COMMAND}" -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime" "${UXF_CCACHE}")
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    add_compile_options("SHELL:-Xclang -fno-pch-timestamp")
  endif()
endif()
find_program(UXF_MOLD mold)
if(UXF_MOLD)
  add_link_options("-fuse-ld=mold")
endif()
