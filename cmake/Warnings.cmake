# genomamba_enable_warnings(target): warnings for C++ sources only (nvcc gets its own flags).
function(genomamba_enable_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wshadow -Wundef -Wmissing-declarations>
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${GENOMAMBA_WERROR}>>:-Werror>)
  if(GENOMAMBA_SANITIZE)
    list(JOIN GENOMAMBA_SANITIZE "," _san)
    # -fno-sanitize-recover: a UBSan finding aborts the test instead of printing a line that nobody reads.
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${_san} -fno-sanitize-recover=all -fno-omit-frame-pointer>)
    target_link_options(${target} PRIVATE -fsanitize=${_san} -fno-sanitize-recover=all)
  endif()
endfunction()
