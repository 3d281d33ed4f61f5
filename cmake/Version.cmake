# Generates generated/core/version.h (version, compiled-in backends: known at configure time) and, at every
# build, generated/core/git_hash.h (the commit the binary is built from, so --version and the provenance
# attributes never name a stale commit after a pull without a fresh configure).
# --version names the backends a command can run on: the CPU always; cuda when the kernels are compiled in
# (--device cuda); mpi when MPI is (--comm mpi: embed over ranks); nccl when NCCL is (--comm nccl: GPU ranks).
set(GENOMAMBA_BACKENDS "cpu")
if(GENOMAMBA_HAVE_CUDA)
  string(APPEND GENOMAMBA_BACKENDS ",cuda")
endif()
if(GENOMAMBA_HAVE_MPI)
  string(APPEND GENOMAMBA_BACKENDS ",mpi")
endif()
if(GENOMAMBA_HAVE_NCCL)
  string(APPEND GENOMAMBA_BACKENDS ",nccl")
endif()
configure_file(${PROJECT_SOURCE_DIR}/src/core/version.h.in ${PROJECT_BINARY_DIR}/generated/core/version.h @ONLY)
add_custom_target(genomamba_git_hash
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUT=${PROJECT_BINARY_DIR}/generated/core/git_hash.h
          -P ${PROJECT_SOURCE_DIR}/cmake/GitHash.cmake
  BYPRODUCTS ${PROJECT_BINARY_DIR}/generated/core/git_hash.h
  COMMENT "Reading the git commit"
  VERBATIM)
