# Developer warnings and sanitizers for our own targets only; never installed or propagated to
# consumers (GEOS geos_developer_cxx_flags idea). Applied as PRIVATE options rather than through an
# INTERFACE target so that the exported static core does not reference a non-exported target.
# -Werror comes from CMAKE_COMPILE_WARNING_AS_ERROR, which CI sets.
set(CMRV_CXX_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast)
set(CMRV_C_WARNINGS -Wall -Wextra -Wpedantic -Wconversion)

function(cmrv_developer_flags target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${CMRV_CXX_WARNINGS}>
    $<$<COMPILE_LANGUAGE:C>:${CMRV_C_WARNINGS}>)
  if(CMRV_SANITIZE)
    list(JOIN CMRV_SANITIZE "," _san)
    # UB is made fatal so that a finding fails the test (libgit2 CI does the same).
    target_compile_options(${target} PRIVATE
      -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
  endif()
endfunction()
