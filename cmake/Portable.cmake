# GENOMAMBA_PORTABLE: executables that run on another x86-64 Linux machine from the bundle scripts/bundle.sh
# makes (bin/ beside lib/, the shared libraries they need copied into lib/), e.g. a GPU machine without this
# project's Debian -dev packages (docs/benchmarks.md, "On a GPU machine").
#   - Every executable gets the RPATH $ORIGIN/../lib, then the CUDA toolkit's library folder (cuBLAS stays the
#     machine's libcublas.so.13), and nothing of the build machine. It is written as DT_RPATH, not DT_RUNPATH,
#     so that the bundled libraries' own dependencies (libhts -> libcurl -> ...) are found in lib/ too.
#   - The CUDA runtime is linked statically (CUDA::cudart is pointed at libcudart_static.a), so only the
#     driver's libcuda.so.1 and cuBLAS come from the machine.
# Glibc, the NVIDIA driver and the CUDA toolkit libraries are never bundled (scripts/bundle.sh).
option(GENOMAMBA_PORTABLE "Build executables for the relocatable bundle of scripts/bundle.sh" OFF)
if(GENOMAMBA_PORTABLE)
  set(_gm_rpath "\$ORIGIN/../lib")
  if(GENOMAMBA_HAVE_CUDA)
    list(APPEND _gm_rpath "${CUDAToolkit_LIBRARY_DIR}" /usr/local/cuda/lib64)
    list(REMOVE_DUPLICATES _gm_rpath)
    if(TARGET CUDA::cudart AND TARGET CUDA::cudart_static)
      get_target_property(_gm_cudart_static CUDA::cudart_static IMPORTED_LOCATION)
      get_target_property(_gm_cudart_static_deps CUDA::cudart_static INTERFACE_LINK_LIBRARIES)
      set_target_properties(CUDA::cudart PROPERTIES IMPORTED_LOCATION "${_gm_cudart_static}")
      if(_gm_cudart_static_deps)
        set_property(TARGET CUDA::cudart APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${_gm_cudart_static_deps})
      endif()
    else()
      message(FATAL_ERROR "GENOMAMBA_PORTABLE: FindCUDAToolkit gave no CUDA::cudart_static")
    endif()
    # The kernels' own runtime (CUDA_RUNTIME_LIBRARY) is static too, as CMake's default for nvcc.
    set(CMAKE_CUDA_RUNTIME_LIBRARY Static)
  endif()
  # The same RPATH in the build tree and when installed; the linked libraries' folders are not added.
  set(CMAKE_SKIP_BUILD_RPATH OFF)
  set(CMAKE_BUILD_WITH_INSTALL_RPATH ON)
  set(CMAKE_INSTALL_RPATH "${_gm_rpath}")
  set(CMAKE_INSTALL_RPATH_USE_LINK_PATH OFF)
  add_link_options(LINKER:--disable-new-dtags)
  message(STATUS "genomamba portable build: RPATH ${_gm_rpath}; CUDA runtime static")
endif()
