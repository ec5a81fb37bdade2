# db: SQLite store (truth) and Xapian index (derived). Migrations in
# db/schema/NNN_*.sql are embedded into the library at build time.
file(GLOB migrations CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/schema/*.sql)
list(SORT migrations)
set(migrations_inc ${CMAKE_CURRENT_BINARY_DIR}/generated/db/migrations.inc)
# The list goes to the script as one argument: its ';' must not split it.
string(REPLACE ";" "$<SEMICOLON>" migrations_arg "${migrations}")
add_custom_command(
  OUTPUT ${migrations_inc}
  COMMAND ${CMAKE_COMMAND} "-DOUT=${migrations_inc}" "-DIN=${migrations_arg}"
          -P ${CMAKE_CURRENT_SOURCE_DIR}/embed_sql.cmake
  DEPENDS ${migrations} ${CMAKE_CURRENT_SOURCE_DIR}/embed_sql.cmake
  COMMENT "Embedding SQLite migrations"
  VERBATIM)
target_sources(cxmap_db PRIVATE ${migrations_inc})
target_include_directories(cxmap_db PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
target_include_directories(cxmap_db PUBLIC ${XAPIAN_INCLUDE_DIR})
target_link_libraries(cxmap_db PUBLIC cxmap_pipeline SQLite::SQLite3 ${XAPIAN_LIBRARIES})
