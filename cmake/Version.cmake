# Generates generated/core/version.h (version, compiled-in backends: known at configure time) and, at every
# build, generated/core/git_hash.h (the commit the binary is built from, so --version and the provenance
# attributes never name a stale commit after a pull without a fresh configure).
set(GENOMAMBA_BACKENDS "cpu")
foreach(_b CUDA MPI NCCL)
  if(GENOMAMBA_HAVE_${_b})
    string(TOLOWER ${_b} _lb)
    string(APPEND GENOMAMBA_BACKENDS ",${_lb}")
  endif()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/src/core/version.h.in ${PROJECT_BINARY_DIR}/generated/core/version.h @ONLY)
add_custom_target(genomamba_git_hash
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUT=${PROJECT_BINARY_DIR}/generated/core/git_hash.h
          -P ${PROJECT_SOURCE_DIR}/cmake/GitHash.cmake
  BYPRODUCTS ${PROJECT_BINARY_DIR}/generated/core/git_hash.h
  COMMENT "Reading the git commit"
  VERBATIM)
