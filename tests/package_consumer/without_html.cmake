# The ctest test `package_without_html`: a library user who wants no HTML reports configures
# cjsim with -DCJSIM_HTML=OFF, and reports/html (which embeds npm's echarts) is left out: no
# cjsim_html target, and the package says it has no HTML.
# cmake -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -P without_html.cmake
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR} -G ${GENERATOR}
                        -DCJSIM_HTML=OFF -DCJSIM_BUILD_TESTS=OFF -DCJSIM_BUILD_BENCHMARKS=OFF
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "package_without_html: configuring with -DCJSIM_HTML=OFF failed:\n${out}\n${err}")
endif()
file(GLOB_RECURSE build_files ${WORK_DIR}/*.ninja ${WORK_DIR}/Makefile)
foreach(f ${build_files})
  file(STRINGS ${f} html_lines REGEX "cjsim_html|echarts")
  if(html_lines)
    message(FATAL_ERROR "package_without_html: ${f} still builds the HTML report:\n${html_lines}")
  endif()
endforeach()
file(STRINGS ${WORK_DIR}/cjsimConfig.cmake with_html REGEX "^set\\(cjsim_WITH_HTML \"OFF\"\\)$")
if(NOT with_html)
  message(FATAL_ERROR "package_without_html: cjsimConfig.cmake does not say cjsim_WITH_HTML OFF")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
