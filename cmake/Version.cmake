# Generates generated/core/version.h with the version, git hash and compiled-in backends.
find_package(Git QUIET)
set(GENOMAMBA_GIT_HASH "unknown")
if(GIT_FOUND AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _hash OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _rc ERROR_QUIET)
  if(_rc EQUAL 0)
    set(GENOMAMBA_GIT_HASH ${_hash})
  endif()
endif()
set(GENOMAMBA_BACKENDS "cpu")
foreach(_b CUDA MPI NCCL)
  if(GENOMAMBA_HAVE_${_b})
    string(TOLOWER ${_b} _lb)
    string(APPEND GENOMAMBA_BACKENDS ",${_lb}")
  endif()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/src/core/version.h.in ${PROJECT_BINARY_DIR}/generated/core/version.h @ONLY)
