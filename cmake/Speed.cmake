# Compiler speed on 2-core machines: ccache as launcher, mold as linker when present.
find_program(UXF_CCACHE ccache)
if(UXF_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${UXF_CCACHE}")
endif()
find_program(UXF_MOLD mold)
if(UXF_MOLD)
  add_link_options("-fuse-ld=mold")
endif()
