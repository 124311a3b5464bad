# The ctest test `package_consumer`: installs the build into a fresh prefix (cmake --install),
# configures and builds tests/package_consumer against it with find_package(cjsim), runs its
# program on a journey, and requires the counts that the installed `cjsim run --json` prints for
# the same journey, agents and seed.
# cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -DCXX=... [-DLAUNCHER=...]
#       -P check.cmake
set(journey ${SOURCE_DIR}/tests/data/tiny.yaml)
set(agents 20000)
set(seed 7)
set(prefix ${WORK_DIR}/prefix)

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "package_consumer: ${what} failed (${code}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
step("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(installed lib/cmake/cjsim/cjsimConfig.cmake lib/cmake/cjsim/cjsimConfigVersion.cmake
                  include/sim/engine/engine.h include/scenarios/validate.h bin/cjsim)
  if(NOT EXISTS ${prefix}/${installed})
    message(FATAL_ERROR "package_consumer: cmake --install did not install ${installed}")
  endif()
endforeach()

set(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package_consumer -B ${WORK_DIR}/build
  -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_C_COMPILER=${CC})
if(LAUNCHER)
  list(APPEND configure -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
step("configuring the consumer with find_package(cjsim)" ${configure})
step("building the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)

step("the consumer's run" ${WORK_DIR}/build/run_journey ${journey} ${agents} ${seed})
set(library "${step_output}")
step("the installed cjsim run" ${prefix}/bin/cjsim run ${journey} --agents ${agents}
     --seed ${seed} --threads 2 --json)
set(command "${step_output}")
foreach(key agents conversions steps promoters detractors)
  string(JSON from_library GET "${library}" ${key})
  string(JSON from_command GET "${command}" ${key})
  if(NOT from_library STREQUAL from_command)
    message(FATAL_ERROR "package_consumer: ${key} is ${from_library} from the library as "
                        "installed, ${from_command} from `cjsim run --json`:\n${library}")
  endif()
endforeach()
string(JSON agents_run GET "${library}" agents)
string(JSON conversions_run GET "${library}" conversions)
if(NOT agents_run EQUAL agents OR conversions_run EQUAL 0)
  message(FATAL_ERROR "package_consumer: ${agents} agents asked for, the run gave ${library}")
endif()
message(STATUS "package_consumer: ${library}")
