# Install rules and the CPack .deb "kiosk" (issue 7): binaries, assets, the default config, systemd
# units, udev rules, tmpfiles.d and sysusers.d, maintainer scripts. Included at the end of the top
# CMakeLists.txt. Make the package (the kiosk and kioskctl built first):
#   cmake --build <dir> --target kiosk kioskctl && cpack --config <dir>/CPackConfig.cmake -B <out>
# The package always installs under /usr whatever CMAKE_INSTALL_PREFIX is; the packaged config
# names assets_dir, so the kiosk finds its assets even when the build tree's prefix is /usr/local
# (release builds should still configure with -DCMAKE_INSTALL_PREFIX=/usr so the built-in default
# matches).

set(KIOSK_PACKAGING_DIR "${CMAKE_CURRENT_LIST_DIR}")

install(TARGETS kiosk kioskctl RUNTIME DESTINATION bin)
install(DIRECTORY "${KIOSK_SOURCE_ASSETS}/" DESTINATION share/kiosk/assets)
install(FILES "${CMAKE_SOURCE_DIR}/docs/operations.md" "${CMAKE_SOURCE_DIR}/image/README.md"
        DESTINATION share/doc/kiosk OPTIONAL)

# Absolute destinations: Debian's places for configuration, units and rules (Debian 12 ships units
# in /lib/systemd/system and rules in /lib/udev/rules.d; merged /usr makes both reachable).
install(FILES "${KIOSK_PACKAGING_DIR}/config.json" DESTINATION /etc/kiosk
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES "${KIOSK_PACKAGING_DIR}/systemd/kiosk.service"
              "${KIOSK_PACKAGING_DIR}/systemd/kiosk-crashloop.service"
              "${KIOSK_PACKAGING_DIR}/systemd/kiosk-retry.service"
              "${KIOSK_PACKAGING_DIR}/systemd/kiosk-retry.timer"
        DESTINATION /lib/systemd/system)
install(FILES "${KIOSK_PACKAGING_DIR}/udev/60-kiosk.rules" DESTINATION /lib/udev/rules.d)
install(FILES "${KIOSK_PACKAGING_DIR}/tmpfiles/kiosk.conf" DESTINATION lib/tmpfiles.d)
install(FILES "${KIOSK_PACKAGING_DIR}/sysusers/kiosk.conf" DESTINATION lib/sysusers.d)
install(PROGRAMS "${KIOSK_PACKAGING_DIR}/libexec/kiosk-prestart"
                 "${KIOSK_PACKAGING_DIR}/libexec/kiosk-crashloop"
        DESTINATION lib/kiosk)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "kiosk")
set(KIOSK_PACKAGE_VERSION "${PROJECT_VERSION}" CACHE STRING "Version of the kiosk .deb (image builds stamp it)")
set(CPACK_PACKAGE_VERSION "${KIOSK_PACKAGE_VERSION}")
set(CPACK_PACKAGE_VENDOR "kiosk project")
set(CPACK_PACKAGE_CONTACT "Terminal firmware team <kiosk@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Self-service terminal for government service halls (政务服务自助终端)")
set(CPACK_PACKAGE_DESCRIPTION "Full-screen SDL2 kiosk with ID card reader, camera and printer drivers,\n"
    "the provincial platform channel with a durable outbox, kioskctl for technicians,\n"
    "and the systemd units and udev rules that run it under the cage compositor.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Libraries: dpkg-shlibdeps reads the binaries (SDL2, libcurl, OpenSSL, Tesseract, OpenCV, …).
# Data the kiosk opens at run time, which no library dependency brings: the CJK font, the espeak-ng
# voices, Tesseract's chi_sim model, OpenCV's face cascade; systemd for the units and sysusers.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "fonts-noto-cjk, espeak-ng-data, tesseract-ocr-chi-sim, opencv-data, systemd, udev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cage, cups, prometheus-node-exporter")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${KIOSK_PACKAGING_DIR}/debian/postinst" "${KIOSK_PACKAGING_DIR}/debian/prerm"
    "${KIOSK_PACKAGING_DIR}/debian/postrm" "${KIOSK_PACKAGING_DIR}/debian/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
