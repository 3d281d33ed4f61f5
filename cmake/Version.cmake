# Generates generated/core/version.h (version, compiled-in backends: known at configure time) and, at every
# build, generated/core/git_hash.h (the commit the binary is built from, so --version and the provenance
# attributes never name a stale commit after a pull without a fresh configure).
# --version names the backends a command can run on. CUDA kernels, MPI and NCCL may be compiled in, but no
# command uses them yet (the GPU and multi-rank paths are issues 13 and 14): each joins this list in the
# change that makes a command use it.
set(GENOMAMBA_BACKENDS "cpu")
configure_file(${PROJECT_SOURCE_DIR}/src/core/version.h.in ${PROJECT_BINARY_DIR}/generated/core/version.h @ONLY)
add_custom_target(genomamba_git_hash
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUT=${PROJECT_BINARY_DIR}/generated/core/git_hash.h
          -P ${PROJECT_SOURCE_DIR}/cmake/GitHash.cmake
  BYPRODUCTS ${PROJECT_BINARY_DIR}/generated/core/git_hash.h
  COMMENT "Reading the git commit"
  VERBATIM)
