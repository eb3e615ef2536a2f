# Generates the C++ (runtime) and Python (exporter) FlatBuffers code from schema/program.fbs.
find_program(FLATC flatc REQUIRED)
find_path(FLATBUFFERS_INCLUDE_DIR flatbuffers/flatbuffers.h REQUIRED)
set(EMBER_SCHEMA ${PROJECT_SOURCE_DIR}/schema/program.fbs)
set(EMBER_SCHEMA_INCLUDE_DIR ${CMAKE_BINARY_DIR}/generated)
set(EMBER_SCHEMA_HEADER ${EMBER_SCHEMA_INCLUDE_DIR}/schema/program_generated.h)
set(EMBER_SCHEMA_PY_DIR ${PROJECT_SOURCE_DIR}/python/ember/_generated)
add_custom_command(
  OUTPUT ${EMBER_SCHEMA_HEADER} ${EMBER_SCHEMA_PY_DIR}/__init__.py
  COMMAND ${CMAKE_COMMAND} -E make_directory ${EMBER_SCHEMA_INCLUDE_DIR}/schema
  COMMAND ${FLATC} --cpp --scoped-enums -o ${EMBER_SCHEMA_INCLUDE_DIR}/schema ${EMBER_SCHEMA}
  COMMAND ${CMAKE_COMMAND} -E remove_directory ${EMBER_SCHEMA_PY_DIR}
  COMMAND ${FLATC} --python -o ${EMBER_SCHEMA_PY_DIR} ${EMBER_SCHEMA}
  COMMAND ${CMAKE_COMMAND} -E touch ${EMBER_SCHEMA_PY_DIR}/__init__.py
  DEPENDS ${EMBER_SCHEMA}
  COMMENT "flatc: generating program schema code")
add_custom_target(ember_schema_gen ALL DEPENDS ${EMBER_SCHEMA_HEADER} ${EMBER_SCHEMA_PY_DIR}/__init__.py)
