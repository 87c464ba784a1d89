# Install rules and the CPack .deb "kiosk" (issue 7, made fit for Debian in issue 17): binaries,
# assets, the default config, systemd units, udev rules, tmpfiles.d and sysusers.d, maintainer
# scripts, copyright, changelog, manual pages; beside it kiosk-dbgsym_<version>_<arch>.ddeb with the
# debug information (packaging/debian/finish-staging.cmake). Included at the end of the top
# CMakeLists.txt. Make the packages (the kiosk and kioskctl built first):
#   cmake --build <dir> --target kiosk kioskctl && cpack --config <dir>/CPackConfig.cmake -B <out>
# tests/package checks them (lintian, hardening-check, gdb through the dbgsym package …).
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
install(FILES "${KIOSK_PACKAGING_DIR}/udev/75-kiosk.rules" DESTINATION /lib/udev/rules.d)
install(FILES "${KIOSK_PACKAGING_DIR}/tmpfiles/kiosk.conf" DESTINATION lib/tmpfiles.d)
install(FILES "${KIOSK_PACKAGING_DIR}/sysusers/kiosk.conf" DESTINATION lib/sysusers.d)
install(PROGRAMS "${KIOSK_PACKAGING_DIR}/libexec/kiosk-prestart"
                 "${KIOSK_PACKAGING_DIR}/libexec/kiosk-crashloop"
        DESTINATION lib/kiosk)
# Debian's documentation files: the copyright (DEP-5), the changelog and the manual pages (gzipped
# with -9n by packaging/debian/finish-staging.cmake, as dh_installchangelogs and dh_installman do),
# and lintian overrides, each with its reason.
install(FILES "${KIOSK_PACKAGING_DIR}/debian/copyright" DESTINATION share/doc/kiosk)
install(FILES "${KIOSK_PACKAGING_DIR}/debian/changelog" DESTINATION share/doc/kiosk RENAME changelog.Debian)
install(FILES "${KIOSK_PACKAGING_DIR}/man/kiosk.1" "${KIOSK_PACKAGING_DIR}/man/kioskctl.1" DESTINATION share/man/man1)
install(FILES "${KIOSK_PACKAGING_DIR}/debian/lintian-overrides" DESTINATION share/lintian/overrides RENAME kiosk)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "kiosk")
set(KIOSK_PACKAGE_VERSION "${PROJECT_VERSION}" CACHE STRING "Version of the kiosk .deb (image builds stamp it)")
set(CPACK_PACKAGE_VERSION "${KIOSK_PACKAGE_VERSION}")
# A Debian revision (0.1.0-1): the package is built from the project's source, and its changelog is
# changelog.Debian.gz (packaging/debian/changelog, whose first entry must name this version).
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_PACKAGE_VENDOR "Kiosk firmware team")
set(CPACK_PACKAGE_CONTACT "Kiosk firmware team <firmware@kiosk-terminal.example>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# One string (a CMake list would put ";" into the control file); CPack puts the summary first and
# indents the lines.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-service terminal for government service halls")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "The firmware of the self-service terminals (政务服务自助终端) in government
service halls, bank branches and post offices: a full-screen SDL2
touchscreen application with its own UI toolkit for Chinese text, drivers
for resident ID card readers, cameras and receipt and certificate printers,
and the provincial platform channel with a durable outbox.

This package also holds kioskctl for technicians, the systemd units that run
the kiosk under the cage compositor with a watchdog, and the udev rules that
give it its devices.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
# Not stripped by CPack: packaging/debian/finish-staging.cmake splits the debug information into
# kiosk-dbgsym_<version>_<arch>.ddeb (by build-id, as dh_strip does) and then strips the binaries
# completely. CPack's own CPACK_DEBIAN_DEBUGINFO_PACKAGE keeps .symtab in the shipped binaries
# (objcopy --strip-debug), which lintian refuses as unstripped.
set(CPACK_STRIP_FILES FALSE)
set(CPACK_PRE_BUILD_SCRIPTS "${KIOSK_PACKAGING_DIR}/debian/finish-staging.cmake")
set(CPACK_KIOSK_PACKAGING_DIR "${KIOSK_PACKAGING_DIR}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Libraries: dpkg-shlibdeps reads the binaries (SDL2, libcurl, OpenSSL, Tesseract, OpenCV, …).
# Programs the units and scripts run: cage (kiosk.service's ExecStart), systemd (systemctl,
# systemd-sysusers, systemd-tmpfiles), udev (udevadm); the rest is Essential (coreutils, grep,
# libc-bin's getent, init-system-helpers' deb-systemd-helper). Data the kiosk opens at run time,
# which no library dependency brings: the CJK font, the espeak-ng voices, Tesseract's chi_sim
# model, OpenCV's face cascade, and the zone files the terminal's time_zone is read from (tzdata).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "cage, systemd, udev, tzdata, fonts-noto-cjk, espeak-ng-data, tesseract-ocr-chi-sim, opencv-data")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cups, prometheus-node-exporter")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${KIOSK_PACKAGING_DIR}/debian/postinst" "${KIOSK_PACKAGING_DIR}/debian/prerm"
    "${KIOSK_PACKAGING_DIR}/debian/postrm" "${KIOSK_PACKAGING_DIR}/debian/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
