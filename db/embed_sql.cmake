# Writes each migration as {"NNN_name.sql", R"(...)"} for db/migrations.cpp.
set(body "")
foreach(f ${IN})
  get_filename_component(name ${f} NAME)
  file(READ ${f} sql)
  string(APPEND body "{\"${name}\", R\"cxsql(${sql})cxsql\"},\n")
endforeach()
file(WRITE ${OUT} "${body}")
