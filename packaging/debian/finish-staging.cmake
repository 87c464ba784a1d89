# Runs inside cpack (CPACK_PRE_BUILD_SCRIPTS, packaging/install.cmake) on the staging tree before the
# .deb is made, doing what debhelper would:
# - dh_installchangelogs / dh_installman: changelog.Debian and the manual pages gzipped with -9n
#   (no name or time inside, so the package is the same for the same input);
# - dh_strip: each ELF binary's debug information goes into
#   <out>/kiosk-dbgsym_<version>_<arch>.ddeb as usr/lib/debug/.build-id/xx/yyyy.debug (where gdb and
#   eu-addr2line look a binary's build-id up), then the binary is stripped of everything it does
#   not need to run (.symtab, .debug_*, .comment).
# The changelog's first entry must be this package's version: a version stamped without one gets a
# generated entry on top, so the changelog always tells what was built.
cmake_minimum_required(VERSION 3.25)

set(root "${CPACK_TEMPORARY_DIRECTORY}")
set(version "${CPACK_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
set(doc "${root}/usr/share/doc/${CPACK_PACKAGE_NAME}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "finish-staging: '${command}' failed (${status}): ${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# --- changelog.Debian.gz, manual pages -----------------------------------------------------------
file(READ "${doc}/changelog.Debian" changelog)
string(REGEX MATCH "^[a-z0-9.+-]+ \\(([^)]+)\\)" first_line "${changelog}")
if(NOT CMAKE_MATCH_1 STREQUAL version)
  if(DEFINED ENV{SOURCE_DATE_EPOCH})
    set(when "$ENV{SOURCE_DATE_EPOCH}")
  else()
    string(TIMESTAMP when "%s" UTC)
  endif()
  run(date -u -R -d "@${when}")
  string(STRIP "${run_output}" date)
  file(WRITE "${doc}/changelog.Debian"
       "${CPACK_PACKAGE_NAME} (${version}) bookworm; urgency=medium\n\n"
       "  * Build of ${version}; the changes are in the entries below.\n\n"
       " -- ${CPACK_PACKAGE_CONTACT}  ${date}\n\n${changelog}")
endif()
file(GLOB manuals "${root}/usr/share/man/man*/*.[1-9]")
run(gzip -9nf "${doc}/changelog.Debian" ${manuals})

# --- debug symbols into kiosk-dbgsym, binaries stripped ------------------------------------------
find_program(OBJCOPY objcopy REQUIRED)
find_program(READELF readelf REQUIRED)
set(dbgsym "${root}-dbgsym")
file(REMOVE_RECURSE "${dbgsym}")
set(build_ids "")
file(GLOB binaries "${root}/usr/bin/*")
foreach(binary IN LISTS binaries)
  run(${READELF} -n "${binary}")
  if(NOT run_output MATCHES "Build ID: ([0-9a-f][0-9a-f])([0-9a-f]+)")
    message(FATAL_ERROR "finish-staging: ${binary} has no build-id (the linker needs --build-id)")
  endif()
  set(debug_dir "${dbgsym}/usr/lib/debug/.build-id/${CMAKE_MATCH_1}")
  set(debug_file "${debug_dir}/${CMAKE_MATCH_2}.debug")
  list(APPEND build_ids "${CMAKE_MATCH_1}${CMAKE_MATCH_2}")
  file(MAKE_DIRECTORY "${debug_dir}")
  run(${OBJCOPY} --only-keep-debug --compress-debug-sections "${binary}" "${debug_file}")
  file(CHMOD "${debug_file}" FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  run(${OBJCOPY} --strip-all --remove-section=.comment "${binary}")
endforeach()
if(NOT build_ids)
  message(FATAL_ERROR "finish-staging: no binaries in ${root}/usr/bin")
endif()

run(dpkg --print-architecture)
string(STRIP "${run_output}" architecture)
file(MAKE_DIRECTORY "${dbgsym}/usr/share/doc")
file(CREATE_LINK "${CPACK_PACKAGE_NAME}" "${dbgsym}/usr/share/doc/${CPACK_PACKAGE_NAME}-dbgsym" SYMBOLIC)
run(du -sk --apparent-size "${dbgsym}/usr")
string(REGEX MATCH "^[0-9]+" installed_size "${run_output}")
list(JOIN build_ids " " build_id_field)
file(MAKE_DIRECTORY "${dbgsym}/DEBIAN")
file(WRITE "${dbgsym}/DEBIAN/control"
     "Package: ${CPACK_PACKAGE_NAME}-dbgsym\n"
     "Source: ${CPACK_PACKAGE_NAME}\n"
     "Version: ${version}\n"
     "Auto-Built-Package: debug-symbols\n"
     "Architecture: ${architecture}\n"
     "Maintainer: ${CPACK_PACKAGE_CONTACT}\n"
     "Installed-Size: ${installed_size}\n"
     "Depends: ${CPACK_PACKAGE_NAME} (= ${version})\n"
     "Section: debug\n"
     "Priority: optional\n"
     "Description: debug symbols for ${CPACK_PACKAGE_NAME}\n"
     "Build-Ids: ${build_id_field}\n")
file(MAKE_DIRECTORY "${CPACK_PACKAGE_DIRECTORY}")
run(dpkg-deb --root-owner-group -Zxz --build "${dbgsym}"
    "${CPACK_PACKAGE_DIRECTORY}/${CPACK_PACKAGE_NAME}-dbgsym_${version}_${architecture}.ddeb")
