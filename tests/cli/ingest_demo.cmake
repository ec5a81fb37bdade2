# CTest fixture: ingests the demo corpus once into a fresh data dir that the
# read-only end-to-end tests share. Exit 10 (quarantined records) is allowed
# here; the tests check the counts themselves.
file(REMOVE_RECURSE ${DATA})
execute_process(COMMAND ${CXMAP} --data ${DATA} ingest --quiet --config ${CONFIG}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if(NOT rc EQUAL 0 AND NOT rc EQUAL 10)
  message(FATAL_ERROR "demo ingest failed with exit code ${rc}")
endif()
