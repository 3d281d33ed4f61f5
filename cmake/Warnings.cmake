# genomamba_enable_warnings(target): warnings for C++ sources only (nvcc gets its own flags).
function(genomamba_enable_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wshadow -Wundef -Wmissing-declarations>
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${GENOMAMBA_WERROR}>>:-Werror>)
  if(GENOMAMBA_SANITIZE)
    list(JOIN GENOMAMBA_SANITIZE "," _san)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${_san} -fno-omit-frame-pointer>)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
  endif()
endfunction()
