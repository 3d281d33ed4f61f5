# Script mode (cmake -P), run at every build by the genomamba_git_hash target (cmake/Version.cmake):
# writes OUT (generated/core/git_hash.h) with the checkout's commit, "-dirty" when tracked files differ
# from it, or "unknown" outside a git checkout. The file is rewritten only when the text changes, so an
# unchanged commit rebuilds nothing.
set(hash "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD WORKING_DIRECTORY "${SOURCE_DIR}"
    OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0)
    set(hash "${head}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" status --porcelain --untracked-files=no WORKING_DIRECTORY "${SOURCE_DIR}"
      OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND NOT changes STREQUAL "")
      string(APPEND hash "-dirty")
    endif()
  endif()
endif()
set(text "#pragma once\n// Generated at build time by cmake/GitHash.cmake; do not edit.\nnamespace genomamba::core {\ninline constexpr const char* kGitHash = \"${hash}\";\n}  // namespace genomamba::core\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
