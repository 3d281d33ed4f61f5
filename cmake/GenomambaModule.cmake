# genomamba_add_module(NAME SOURCES ... DEPENDS_PUBLIC ... DEPENDS_PRIVATE ...)
# One static library per src/ folder, named genomamba_<NAME>. Headers are included as "<folder>/<file>.h"
# relative to src/, so every module exposes src/ as its public include directory.
function(genomamba_add_module NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS_PUBLIC;DEPENDS_PRIVATE" ${ARGN})
  set(target genomamba_${NAME})
  add_library(${target} STATIC ${ARG_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${target} PUBLIC ${ARG_DEPENDS_PUBLIC} PRIVATE ${ARG_DEPENDS_PRIVATE})
  genomamba_enable_warnings(${target})
endfunction()
