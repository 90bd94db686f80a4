# embed_data(TARGET OUTPUT FILE...): turn data files into one C source that
# defines `const struct embedded_file embedded_files[]`, looked up by path
# relative to the source tree (see src/core/data.h).
function(embed_data target output)
  set(files ${ARGN})
  set(abs_files)
  foreach(f IN LISTS files)
    list(APPEND abs_files ${PROJECT_SOURCE_DIR}/${f})
  endforeach()
  string(REPLACE ";" "|" files_arg "${files}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DFILES=${files_arg} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedDataScript.cmake
    DEPENDS ${abs_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedDataScript.cmake
    COMMENT "Embedding data files"
    VERBATIM)
  add_custom_target(${target} DEPENDS ${output})
  set(PAPERBOY_EMBEDDED_SOURCE ${output} PARENT_SCOPE)
endfunction()
