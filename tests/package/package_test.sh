#!/bin/sh
# Tests of the .deb (packaging/). `build` makes the packages once with cpack from the build tree into
# BUILD_DIR/tests/package/out (a ctest fixture the other cases need); the other cases read them:
#   deb        control fields, conffiles, maintainer scripts, the file list, copyright, changelog
#   lintian    lintian --pedantic: no error, warning or pedantic tag (overrides carry their reasons)
#   hardening  hardening-check on the packaged binaries: PIE, stack protector, FORTIFY, RELRO, BIND_NOW
#   dbgsym     kiosk-dbgsym: the binaries' build-ids, and gdb resolving main to its source line
#   buildpath  no source or build folder inside the packaged binaries
#   libraries  kioskctl and the kiosk without OpenCV's imgcodecs (which brings GDAL and ~100 more)
#   version    kiosk and kioskctl --version and --help exit 0
#   units      systemd-analyze verify on the extracted units
#   udev       the rules' syntax, and their file sorting after the rules that set what they test
#   scripts    the units' helper scripts
#   metrics    the kiosk's metrics file (a real headless run) through `promtool check metrics`
# Usage: package_test.sh CASE BUILD_DIR SOURCE_DIR
set -u
case=$1
build=$2
source=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/package_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  description=$1; shift
  if "$@" >"$work/check.out" 2>&1; then pass "$description"; else fail "$description"; sed 's/^/    /' "$work/check.out"; fi
}
refuse() {  # refuse DESCRIPTION COMMAND...: the command must fail
  description=$1; shift
  if "$@" >"$work/check.out" 2>&1; then fail "$description (was accepted)"; else pass "$description"; fi
}

# The packages, made by the `build` case (the package.build fixture); each case extracts its own copy.
out=$build/tests/package/out
make_deb() {
  deb=$(ls "$out"/kiosk_*.deb 2>/dev/null | head -1)
  ddeb=$(ls "$out"/kiosk-dbgsym_*.ddeb 2>/dev/null | head -1)
  [ -n "$deb" ] && [ -n "$ddeb" ] || { echo "FAILED: no kiosk_*.deb and kiosk-dbgsym_*.ddeb in $out (run the package.build test)"; exit 1; }
  dpkg-deb -x "$deb" "$work/root"
}
# need PROGRAM PACKAGE: a missing test tool fails loudly with its Debian package.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "FAILED: test tool '$1' missing: install Debian package '$2' (tools/install-deps test)"
  exit 1
}
field() { dpkg-deb -f "$deb" "$1"; }
has_dep() { field "$1" | tr ',' '\n' | sed 's/^ *//; s/ .*//; s/|.*//' | grep -qx "$2"; }

case "$case" in
build)
  need cpack cmake
  need dpkg-shlibdeps dpkg-dev
  rm -rf "$out"
  if cpack --config "$build/CPackConfig.cmake" -B "$out" >"$work/cpack.log" 2>&1; then pass "cpack"; else cat "$work/cpack.log"; fail "cpack"; fi
  rm -rf "$out/_CPack_Packages"
  check "the .deb is made" sh -c "ls '$out'/kiosk_*_*.deb"
  check "the .ddeb is made beside it" sh -c "ls '$out'/kiosk-dbgsym_*_*.ddeb"
  ;;
deb)
  make_deb
  version=$(field Version)
  check "version has a Debian revision (changelog.Debian, not a native package)" sh -c "echo '$version' | grep -Eq '^[0-9][0-9.]*-[0-9]+$'"
  check "Maintainer is the firmware team" test "$(field Maintainer)" = "Kiosk firmware team <firmware@kiosk-terminal.example>"
  field Description >"$work/description"
  check "Description has a synopsis and an extended text" test "$(wc -l <"$work/description")" -ge 4
  refuse "Description has no ';' (a CMake list leaking in)" grep -q ';' "$work/description"
  check "Description lines are at most 80 columns" test "$(LC_ALL=C.UTF-8 wc -L <"$work/description")" -le 80
  check "package name is kiosk" test "$(field Package)" = kiosk
  for library in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libcurl4 libssl3 libsqlite3-0 libtesseract5 libcups2 libusb-1.0-0; do
    check "Depends (dpkg-shlibdeps) has $library" has_dep Depends "$library"
  done
  for data in fonts-noto-cjk espeak-ng-data tesseract-ocr-chi-sim opencv-data tzdata; do
    check "Depends has $data (loaded at run time)" has_dep Depends "$data"
  done
  # Every program the units and helper scripts run that is not Essential: without it the enabled
  # unit cannot start (cage was once only Recommended; --no-install-recommends left it out).
  for program in cage:cage systemctl:systemd systemd-sysusers:systemd systemd-tmpfiles:systemd udevadm:udev; do
    check "Depends has ${program#*:} (for ${program%%:*})" has_dep Depends "${program#*:}"
  done
  check "every ExecStart program of the units is a Depends, Essential or ours" sh -c "
    grep -h '^Exec[A-Za-z]*=' '$work/root/lib/systemd/system/'* | sed 's/^[^=]*=[-+@!:]*//; s/ .*//' | sort -u >'$work/programs'
    while read -r program; do
      case \$program in
        /usr/bin/cage) dpkg-deb -f '$deb' Depends | grep -qw cage || exit 1 ;;
        /bin/systemctl) dpkg-deb -f '$deb' Depends | grep -qw systemd || exit 1 ;;
        /usr/bin/env) ;;  # coreutils, Essential
        /usr/lib/kiosk/*|/usr/bin/kiosk*) test -e '$work/root'\$program || exit 1 ;;
        *) echo \"unknown program \$program\"; exit 1 ;;
      esac
    done <'$work/programs'"
  for recommended in cups prometheus-node-exporter; do
    check "Recommends $recommended" has_dep Recommends "$recommended"
  done
  dpkg-deb -e "$deb" "$work/control"
  check "conffiles lists /etc/kiosk/config.json" grep -qx /etc/kiosk/config.json "$work/control/conffiles"
  for script in postinst prerm postrm; do
    check "$script is executable" test -x "$work/control/$script"
    check "$script is valid sh" sh -n "$work/control/$script"
    # Units are enabled, started and stopped through init-system-helpers, as debhelper does; only
    # `systemctl daemon-reload` may be called directly.
    refuse "$script calls systemctl only for daemon-reload" sh -c "grep -v '^ *#' '$work/control/$script' | grep -w systemctl | grep -v 'systemctl --system daemon-reload'"
  done
  check "postinst enables kiosk.service with deb-systemd-helper" grep -q "deb-systemd-helper enable 'kiosk.service'" "$work/control/postinst"
  check "postinst keeps a technician's disable (was-enabled)" grep -q "deb-systemd-helper --quiet was-enabled 'kiosk.service'" "$work/control/postinst"
  check "postinst restarts through deb-systemd-invoke" grep -q "deb-systemd-invoke try-restart 'kiosk.service'" "$work/control/postinst"
  check "prerm stops through deb-systemd-invoke" grep -q "deb-systemd-invoke stop 'kiosk.service'" "$work/control/prerm"
  check "postrm purges the helper's state" grep -q "deb-systemd-helper purge 'kiosk.service'" "$work/control/postrm"
  # Debian's documentation files.
  doc=$work/root/usr/share/doc/kiosk
  check "copyright is machine-readable (DEP-5)" grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$doc/copyright"
  check "changelog.Debian.gz is gzip" sh -c "gzip -t '$doc/changelog.Debian.gz'"
  check "changelog's first entry is this version ($version)" sh -c "test \"\$(gzip -dc '$doc/changelog.Debian.gz' | dpkg-parsechangelog -l- -S Version)\" = '$version'"
  for page in kiosk kioskctl; do
    check "manual page $page(1)" sh -c "gzip -dc '$work/root/usr/share/man/man1/$page.1.gz' | grep -q '^\.TH $(echo $page | tr a-z A-Z) 1'"
  done
  dpkg-deb -c "$deb" | awk '{print $NF}' >"$work/files"
  for path in ./usr/bin/kiosk ./usr/bin/kioskctl ./etc/kiosk/config.json \
              ./usr/share/kiosk/assets/catalog/items.json ./usr/share/kiosk/assets/strings/ \
              ./lib/systemd/system/kiosk.service ./lib/systemd/system/kiosk-crashloop.service \
              ./lib/systemd/system/kiosk-retry.service ./lib/systemd/system/kiosk-retry.timer \
              ./lib/udev/rules.d/75-kiosk.rules ./usr/lib/tmpfiles.d/kiosk.conf \
              ./usr/lib/sysusers.d/kiosk.conf ./usr/lib/kiosk/kiosk-prestart ./usr/lib/kiosk/kiosk-crashloop \
              ./usr/share/doc/kiosk/copyright ./usr/share/doc/kiosk/changelog.Debian.gz \
              ./usr/share/man/man1/kiosk.1.gz ./usr/share/man/man1/kioskctl.1.gz ./usr/share/lintian/overrides/kiosk; do
    check "package holds $path" grep -qx "$path" "$work/files"
  done
  check "config.json is root-owned 0644" sh -c "dpkg-deb -c '$deb' | grep -q '^-rw-r--r-- root/root .* ./etc/kiosk/config.json$'"
  for binary in kiosk kioskctl; do
    check "$binary is stripped" sh -c "file -L '$work/root/usr/bin/$binary' | grep -q ', stripped'"
  done
  # The packaged config turns every ops path on and names where the assets are installed.
  for key in '"control_socket": "/run/kiosk/control.sock"' '"metrics_dir": "/var/lib/prometheus/node-exporter"' \
             '"audit_log": "/var/lib/kiosk/audit.log"' '"audit_key_file": "/etc/kiosk/audit.key"' \
             '"state_dir": "/var/lib/kiosk"' '"assets_dir": "/usr/share/kiosk/assets"'; do
    check "config.json sets $key" grep -qF "$key" "$work/root/etc/kiosk/config.json"
  done
  ;;
lintian)
  make_deb
  need lintian lintian
  # --pedantic shows P: tags too; any error, warning or pedantic tag fails. Overrides
  # (packaging/debian/lintian-overrides) each say why; an override that no longer matches is shown.
  lintian --pedantic --display-info --fail-on error,warning,pedantic "$deb" >"$work/lintian.log" 2>&1
  status=$?
  if [ $status -eq 0 ]; then pass "lintian --pedantic: no error, warning or pedantic tag"
  else fail "lintian --pedantic: no error, warning or pedantic tag"; grep -v 'root privileges' "$work/lintian.log" | sed 's/^/    /'; fi
  refuse "no override is unused" grep -q 'unused-override' "$work/lintian.log"
  # The fault case: the same package without its copyright file must be refused.
  dpkg-deb -R "$deb" "$work/broken"
  rm "$work/broken/usr/share/doc/kiosk/copyright"
  dpkg-deb --root-owner-group -Zgzip -b "$work/broken" "$work/broken.deb" >/dev/null
  refuse "lintian refuses a package without a copyright file" lintian --fail-on error "$work/broken.deb"
  ;;
hardening)
  make_deb
  need hardening-check devscripts
  # Each of Debian's five protections must be "yes" (hardening-check's other lines are not asked for).
  hardened() {
    hardening-check "$1" >"$work/hardening.log" 2>&1
    cat "$work/hardening.log"
    for line in 'Position Independent Executable' 'Stack protected' 'Fortify Source functions' \
                'Read-only relocations' 'Immediate binding'; do
      grep -q "^ $line: yes" "$work/hardening.log" || { echo "not hardened: $line"; return 1; }
    done
  }
  for binary in kiosk kioskctl; do
    check "packaged $binary: PIE, stack protector, FORTIFY, RELRO, BIND_NOW" hardened "$work/root/usr/bin/$binary"
  done
  # The fault case: a program built without them is refused by the same check.
  need cc gcc
  printf '#include <stdio.h>\n#include <string.h>\nint main(int c, char** v) { char b[64]; strcpy(b, v[0]); printf("%%s%%d\\n", b, c); return 0; }\n' >"$work/weak.c"
  cc -O2 -U_FORTIFY_SOURCE -fno-stack-protector -no-pie -Wl,-z,norelro -Wl,-z,lazy -o "$work/weak" "$work/weak.c"
  refuse "a binary without hardening is refused" hardened "$work/weak"
  ;;
dbgsym)
  make_deb
  need gdb gdb
  dpkg-deb -x "$ddeb" "$work/dbgsym"
  check "dbgsym package is kiosk-dbgsym" test "$(dpkg-deb -f "$ddeb" Package)" = kiosk-dbgsym
  check "dbgsym depends on this very kiosk" test "$(dpkg-deb -f "$ddeb" Depends)" = "kiosk (= $(field Version))"
  for binary in kiosk:kiosk/main.cpp kioskctl:tools/kioskctl/main.cpp; do
    name=${binary%%:*} source_file=${binary#*:}
    id=$(readelf -n "$work/root/usr/bin/$name" | sed -n 's/.*Build ID: *//p')
    debug=$work/dbgsym/usr/lib/debug/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug
    check "$name has a build-id" test -n "$id"
    check "dbgsym holds $name's debug file by build-id" test -f "$debug"
    check "the debug file has the same build-id" sh -c "readelf -n '$debug' | grep -q 'Build ID: $id'"
    check "Build-Ids names $name's" sh -c "dpkg-deb -f '$ddeb' Build-Ids | grep -qw '$id'"
    # gdb finds the debug file through the stripped binary's build-id: main's address, and main as
    # a function at a line of $source_file.
    resolves() {  # resolves DEBUG_DIR
      gdb -batch -nx -iex "set debug-file-directory $1" -ex 'info address main' -ex 'info functions main' \
        "$work/root/usr/bin/$name" >"$work/gdb.log" 2>&1
      # The file is named relative to the checkout, or to the build folder ("../…") when ccache's
      # base_dir rewrote the compiler's arguments (make sets CCACHE_BASEDIR).
      grep -q '^Symbol "main()" is a function at address 0x' "$work/gdb.log" &&
        awk -v file="$source_file:" '/^File / { name = substr($0, 6); sub(/^(\.\.\/)+/, "", name); inside = (name == file); next }
          inside && /^[0-9]+:[ \t].*[ *]main\(/ { found = 1 } END { exit !found }' "$work/gdb.log"
    }
    if resolves "$work/dbgsym/usr/lib/debug"; then pass "gdb resolves $name's main to an address and a line of $source_file"
    else fail "gdb resolves $name's main to an address and a line of $source_file"; sed 's/^/    /' "$work/gdb.log"; fi
    refuse "without the dbgsym package gdb cannot" resolves /nonexistent
  done
  ;;
buildpath)
  make_deb
  need strings binutils
  # Absolute source and build folders (as given and with symlinks resolved) must appear in no shipped
  # binary: debug info, __FILE__, compiled-in fallbacks (KIOSK_BUILD_ASSETS was one) all leak them.
  paths=$(printf '%s\n' "$source" "$build" "$(realpath "$source")" "$(realpath "$build")" | sed 's:/*$::' | sort -u)
  leaks() {
    for path in $paths; do
      strings -a "$1" | grep -F "$path" && return 0
    done
    return 1
  }
  for binary in kiosk kioskctl; do
    refuse "packaged $binary holds no source or build folder path" leaks "$work/root/usr/bin/$binary"
  done
  { cat "$work/root/usr/bin/kioskctl"; printf '%s/assets\n' "$build"; } >"$work/leaky"
  check "a binary with the build folder inside is caught" leaks "$work/leaky"
  ;;
libraries)
  make_deb
  # OpenCV's imgcodecs loads GDAL, proj-data, gdcm, OpenEXR and ~100 more libraries; image files are
  # decoded with libjpeg-turbo, SDL2_image and our own PNM code instead (kiosk/face/face_image.cpp).
  for binary in kiosk kioskctl; do
    readelf -d "$work/root/usr/bin/$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$work/needed-$binary"
    check "$binary has NEEDED entries" test -s "$work/needed-$binary"
    refuse "$binary does not need libopencv_imgcodecs" grep -q '^libopencv_imgcodecs' "$work/needed-$binary"
  done
  check "kioskctl decodes JPEG with libturbojpeg" grep -q '^libturbojpeg' "$work/needed-kioskctl"
  refuse "Depends has no libopencv-imgcodecs or GDAL" sh -c "dpkg-deb -f '$deb' Depends | grep -Eq 'libopencv-imgcodecs|libgdal'"
  ;;
version)
  make_deb
  version=$(field Version)
  for binary in kiosk kioskctl; do
    check "$binary --version exits 0" "$work/root/usr/bin/$binary" --version
    check "$binary --version prints its version" sh -c "'$work/root/usr/bin/$binary' --version | grep -qx '$binary ${version%-*}'"
    check "$binary --help exits 0" "$work/root/usr/bin/$binary" --help
    check "$binary --help prints the usage on stdout" sh -c "'$work/root/usr/bin/$binary' --help 2>/dev/null | grep -q '^usage: $binary '"
    refuse "$binary refuses an unknown option" "$work/root/usr/bin/$binary" --no-such-option
  done
  "$work/root/usr/bin/kiosk" --no-such-option >/dev/null 2>&1
  check "kiosk exits 2 for a usage mistake" test $? -eq 2
  check "kioskctl --help names its device commands" sh -c "'$work/root/usr/bin/kioskctl' --help | grep -q '  device '"
  ;;
units)
  make_deb
  # systemd-analyze verify against the extracted package: the host's own units (for targets and
  # dependencies) and the real binaries the units run are copied in, so --root resolves them.
  root=$work/root
  mkdir -p "$root/bin" "$root/usr/bin"
  cp -an /lib/systemd/system/. "$root/lib/systemd/system/"  # -n: the package's own units stay
  for binary in /usr/bin/cage /usr/bin/env /bin/systemctl /usr/bin/rauc /bin/mkdir /usr/bin/ssh-keygen; do
    [ -e "$binary" ] && cp "$binary" "$root$binary"
  done
  verify() {  # any message (unknown key, missing binary, bad dependency) is a failure
    systemd-analyze verify --root="$root" "$@" >"$work/verify.log" 2>&1
    status=$?
    cat "$work/verify.log"
    [ $status -eq 0 ] && [ ! -s "$work/verify.log" ]
  }
  for unit in kiosk.service kiosk-crashloop.service kiosk-retry.service kiosk-retry.timer; do
    check "systemd-analyze verify $unit" verify "/lib/systemd/system/$unit"
  done
  # The fault case: a misspelt directive must be caught by the same check.
  sed 's/^WatchdogSec=/WatchdogSecs=/' "$root/lib/systemd/system/kiosk.service" >"$root/lib/systemd/system/kiosk-broken.service"
  refuse "verify catches a misspelt directive" verify /lib/systemd/system/kiosk-broken.service
  rm "$root/lib/systemd/system/kiosk-broken.service"
  unit=$root/lib/systemd/system/kiosk.service
  for setting in Type=notify NotifyAccess=all WatchdogSec=30 Restart=always RestartSec=2 \
                 StartLimitIntervalSec=300 StartLimitBurst=10 OnFailure=kiosk-crashloop.service User=kiosk \
                 NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes RuntimeDirectory=kiosk \
                 RuntimeDirectoryMode=0750 TTYPath=/dev/tty7 PAMName=login SDL_VIDEODRIVER=wayland; do
    check "kiosk.service has $setting" grep -Eqx "(Environment=)?$setting" "$unit"
  done
  check "ReadWritePaths has the state and metrics dirs" \
    grep -q '^ReadWritePaths=/var/lib/kiosk -/var/lib/prometheus/node-exporter' "$unit"
  check "cage runs the kiosk full-screen" grep -q '^ExecStart=/usr/bin/cage .*-- .*/usr/bin/kiosk --fullscreen --config /etc/kiosk/config.json$' "$unit"
  refuse "cage may not switch VTs (no -s)" grep -Eq '^ExecStart=/usr/bin/cage( -[a-z]+)* -s' "$unit"
  ;;
udev)
  rules=$source/packaging/udev/75-kiosk.rules
  # Debian 12's udevadm (systemd 252) has no `verify`; this is udev's rule grammar: comma-separated
  # KEY[{attr}] OP "value" pairs, match keys with ==/!=, assignment keys with =/+=/-=/:=.
  syntax() {
    awk '
      /^[ \t]*(#|$)/ { next }
      {
        line = $0; n = 0
        while (length(line) > 0) {
          if (!match(line, /^[ \t]*[A-Z_]+(\{[^}]+\})?[ \t]*(==|!=|\+=|-=|:=|=)[ \t]*"[^"]*"[ \t]*(,|$)/)) {
            printf "line %d: cannot parse near: %s\n", NR, line; bad = 1; next
          }
          pair = substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1); n++
          key = pair; sub(/^[ \t]*/, "", key); sub(/[{ \t=!+:-].*/, "", key)
          op = pair; sub(/^[^=!+:-]*(\{[^}]*\})?[ \t]*/, "", op); sub(/[ \t]*".*/, "", op)
          matchkeys = "^(ACTION|DEVPATH|KERNEL|KERNELS|NAME|SYMLINK|SUBSYSTEM|SUBSYSTEMS|DRIVER|DRIVERS|ATTR|ATTRS|SYSCTL|ENV|TAG|TAGS|TEST|PROGRAM|RESULT|CONST)$"
          assignkeys = "^(NAME|SYMLINK|OWNER|GROUP|MODE|ENV|TAG|ATTR|SYSCTL|RUN|LABEL|GOTO|IMPORT|OPTIONS|SECLABEL)$"
          if (op == "==" || op == "!=") { if (key !~ matchkeys) { printf "line %d: %s cannot be matched\n", NR, key; bad = 1 } }
          else if (key !~ assignkeys) { printf "line %d: %s cannot be assigned\n", NR, key; bad = 1 }
        }
        if (n == 0) { printf "line %d: empty rule\n", NR; bad = 1 }
      }
      END { exit bad }' "$1"
  }
  check "75-kiosk.rules parses" syntax "$rules"
  printf 'SUBSYSTEM=="tty", GROUP=="kiosk" MODE="0660"\n' >"$work/bad1.rules"
  refuse "a rule with a missing comma is caught" syntax "$work/bad1.rules"
  printf 'SUBSYSTEM=="tty", OWNR="kiosk"\n' >"$work/bad2.rules"
  refuse "an unknown key is caught" syntax "$work/bad2.rules"
  printf 'SUBSYSTEM=="tty", GROUP="kiosk\n' >"$work/bad3.rules"
  refuse "an unclosed quote is caught" syntax "$work/bad3.rules"
  for link in kiosk-idcard kiosk-receipt kiosk-face-camera kiosk-document-camera; do
    check "a rule makes /dev/$link" grep -q "SYMLINK+=\"$link\"" "$rules"
  done
  for subsystem in tty usb usbmisc video4linux; do
    check "devices of $subsystem go to group kiosk" grep -q "SUBSYSTEM==\"$subsystem\".*GROUP=\"kiosk\"" "$rules"
  done
  check "the config's card reader path is a rule's symlink" grep -q '"/dev/kiosk-idcard"' "$source/packaging/config.json"
  # Order: udev reads all rules files in name order, so a rule testing ENV{ID_PATH} or
  # ENV{ID_V4L_CAPABILITIES} sees them only if its file sorts after the files that set them (60-kiosk
  # once sorted before 60-persistent-v4l.rules: /dev/kiosk-*-camera never appeared). setters FILE VAR
  # SUBSYSTEM prints the lines of FILE that set VAR for devices of SUBSYSTEM: ENV{VAR}= or an
  # import known to set it (path_id: ID_PATH*, v4l_id: ID_V4L_*, usb_id: ID_VENDOR*, ID_MODEL*,
  # ID_SERIAL*, ID_USB_*), counted when neither the line's SUBSYSTEM== nor an enclosing
  # `SUBSYSTEM!="x", GOTO="label"` … `LABEL="label"` block rules the subsystems out.
  setters() {
    awk -v var="$2" -v ours="$3" '
      function applies(list,   n, i, names) {
        if (list == "") return 1
        n = split(list, names, "|")
        for (i = 1; i <= n; i++) if (names[i] == ours) return 1
        return 0
      }
      /\\$/ { held = held substr($0, 1, length($0) - 1); next }
      {
        line = held $0; held = ""
        if (line ~ /^[ \t]*(#|$)/) next
        if (block_label != "" && match(line, /LABEL="[^"]*"/) && substr(line, RSTART + 7, RLENGTH - 8) == block_label) { block = ""; block_label = "" }
        if (match(line, /SUBSYSTEM!="[^"]*"/) && line ~ /GOTO="/) {
          block = substr(line, RSTART + 12, RLENGTH - 13)
          match(line, /GOTO="[^"]*"/); block_label = substr(line, RSTART + 6, RLENGTH - 7)
          next
        }
        sets = line ~ ("ENV\\{" var "\\}[ \t]*(=|\\+=|:=)[^=]")
        if (var ~ /^ID_PATH/ && line ~ /IMPORT\{builtin\}="path_id/) sets = 1
        if (var ~ /^ID_V4L_/ && line ~ /IMPORT\{(program|builtin)\}="v4l_id/) sets = 1
        if (var ~ /^(ID_VENDOR|ID_MODEL|ID_SERIAL|ID_USB_)/ && line ~ /IMPORT\{builtin\}="usb_id/) sets = 1
        if (!sets) next
        subsystem = ""
        if (match(line, /SUBSYSTEM=="[^"]*"/)) subsystem = substr(line, RSTART + 12, RLENGTH - 13)
        else subsystem = block
        if (applies(subsystem)) printf "%s:%d: %s\n", FILENAME, FNR, line
      }' "$1"
  }
  # The variables our rules test, with the subsystems of the rules that test them.
  grep -v '^[ \t]*#' "$rules" | grep -o 'SUBSYSTEM=="[^"]*".*' | while read -r rule; do
    subsystem=$(echo "$rule" | sed 's/SUBSYSTEM=="\([^"]*\)".*/\1/')
    echo "$rule" | grep -o 'ENV{[A-Z_0-9]*}==' | sed 's/ENV{\(.*\)}==/\1/' | grep -v '^DEVTYPE$' | sed "s/\$/ $subsystem/"
  done | sort -u >"$work/tested"
  check "the rules test ID_PATH and ID_V4L_CAPABILITIES for video4linux" sh -c "grep -qx 'ID_PATH video4linux' '$work/tested' && grep -qx 'ID_V4L_CAPABILITIES video4linux' '$work/tested'"
  after_setters() {  # after_setters NAME DIR…: NAME sorts (C locale) after every file setting what we test
    name=$1; shift
    : >"$work/setters"
    while read -r var subsystem; do
      for file in $(for dir in "$@"; do ls "$dir"/*.rules 2>/dev/null; done); do
        setters "$file" "$var" "$subsystem"
      done
    done <"$work/tested" >>"$work/setters"
    cat "$work/setters"
    late=$(sed 's/:.*//' "$work/setters" | xargs -r -n1 basename | sort -u | LC_ALL=C sort | tail -1)
    [ -n "$late" ] || { echo "no rules file sets them: is udev installed?"; return 1; }
    echo "last setter: $late"
    [ "$(printf '%s\n%s\n' "$late" "$name" | LC_ALL=C sort | tail -1)" = "$name" ] && [ "$late" != "$name" ]
  }
  [ -f /lib/udev/rules.d/60-persistent-v4l.rules ] || { echo "FAILED: udev's rules missing: install Debian package 'udev' (tools/install-deps test)"; exit 1; }
  dirs="/lib/udev/rules.d /usr/lib/udev/rules.d /etc/udev/rules.d"
  check "75-kiosk.rules sorts after every rules file that sets a variable it tests" after_setters 75-kiosk.rules $dirs
  check "…among them 60-persistent-v4l.rules" grep -q '60-persistent-v4l.rules' "$work/setters"
  refuse "the old name 60-kiosk.rules is caught sorting too early" after_setters 60-kiosk.rules $dirs
  ;;
scripts)
  crashloop=$source/packaging/libexec/kiosk-crashloop
  metrics=$work/metrics
  mkdir "$metrics"
  check "crash loop raised" env KIOSK_METRICS_DIR="$metrics" "$crashloop" raised
  check "metric kiosk_crash_loop 1" grep -qx 'kiosk_crash_loop 1' "$metrics/kiosk_crashloop.prom"
  check "no temporary file is left" sh -c "! ls -A '$metrics' | grep -q '^\\.'"
  check "crash loop cleared" env KIOSK_METRICS_DIR="$metrics" "$crashloop" cleared
  check "metric kiosk_crash_loop 0" grep -qx 'kiosk_crash_loop 0' "$metrics/kiosk_crashloop.prom"
  check "no metrics directory: still succeeds" env KIOSK_METRICS_DIR="$work/missing" "$crashloop" raised
  check "…and writes nothing" test ! -e "$work/missing"
  refuse "an unknown word is refused" env KIOSK_METRICS_DIR="$metrics" "$crashloop" maybe

  prestart=$source/packaging/libexec/kiosk-prestart
  mkdir -p "$work/etc" "$work/run" "$work/state"
  me=$(id -un)
  group=$(id -gn)
  env="KIOSK_ETC=$work/etc KIOSK_RUN=$work/run KIOSK_STATE=$work/state KIOSK_USER=$me KIOSK_ADMIN_GROUP=$group"
  check "prestart runs" env $env "$prestart"
  check "audit key has 32 bytes" test "$(wc -c <"$work/etc/audit.key")" -eq 32
  check "audit key is 0600" test "$(stat -c %a "$work/etc/audit.key")" = 600
  check "run dir is 0750 with the admin group" test "$(stat -c '%a %G' "$work/run")" = "750 $group"
  check "bundles dir made" test -d "$work/state/bundles"
  sum=$(sha256sum <"$work/etc/audit.key")
  check "prestart runs again" env $env "$prestart"
  check "an existing audit key is never replaced" test "$(sha256sum <"$work/etc/audit.key")" = "$sum"
  ;;
metrics)
  need promtool prometheus
  need openssl openssl
  # A real headless run of the built kiosk with a platform configured (its client certificate is
  # what kiosk_certificate_expiry_timestamp_seconds reports; nothing listens on port 9) and the
  # metrics folder set: the file it writes at exit is what node_exporter would serve.
  "$source/tools/pki/pki" init "$work/pki" >/dev/null
  "$source/tools/pki/pki" terminal "$work/pki" 510502-HALL-0001 >/dev/null
  mkdir "$work/metrics" "$work/state"
  cat >"$work/kiosk.json" <<CONFIG
{
  "terminal_id": "510502-HALL-0001",
  "devices": {"card_reader": {"driver": "sim"}, "receipt_printer": {"driver": "sim"}},
  "platform": {
    "url": "https://127.0.0.1:9", "ca_file": "pki/ca.crt",
    "cert_file": "pki/terminals/510502-HALL-0001.crt", "key_file": "pki/terminals/510502-HALL-0001.key",
    "data_dir": "data", "connect_timeout_ms": 500, "request_timeout_ms": 1000
  },
  "ops": {"metrics_dir": "$work/metrics", "state_dir": "$work/state"}
}
CONFIG
  printf 'expect-screen attract\ntap id=start\nexpect-screen home\n' >"$work/walk.script"
  check "the kiosk runs a script with metrics on" env KIOSK_ASSETS="$source/assets" SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
    "$build/kiosk/kiosk" --headless --config "$work/kiosk.json" --script "$work/walk.script" --out "$work/shots"
  prom=$work/metrics/kiosk.prom
  check "it wrote kiosk.prom" test -s "$prom"
  promtool check metrics <"$prom" >"$work/promtool.log" 2>&1
  status=$?
  if [ $status -eq 0 ] && [ ! -s "$work/promtool.log" ]; then pass "promtool check metrics: no problem"
  else fail "promtool check metrics: no problem"; sed 's/^/    /' "$work/promtool.log"; fi
  # The certificate gauge is its notAfter in Unix seconds, as openssl reads it.
  not_after=$(date -u -d "$(openssl x509 -noout -enddate -in "$work/pki/terminals/510502-HALL-0001.crt" | sed 's/notAfter=//')" +%s)
  check "kiosk_certificate_expiry_timestamp_seconds is the certificate's notAfter ($not_after)" \
    sh -c "awk '\$1 == \"kiosk_certificate_expiry_timestamp_seconds\" { print \$2 }' '$prom' | awk -v t=$not_after '{ exit !(\$1 + 0 == t) }'"
  check "it is a gauge" grep -qx '# TYPE kiosk_certificate_expiry_timestamp_seconds gauge' "$prom"
  # The fault case: the old days gauge is what promtool refused.
  printf '# HELP kiosk_certificate_expiry_days Days left.\n# TYPE kiosk_certificate_expiry_days gauge\nkiosk_certificate_expiry_days 311\n' >"$work/old.prom"
  check "promtool refuses kiosk_certificate_expiry_days (not a base unit)" sh -c "promtool check metrics <'$work/old.prom' 2>&1 | grep -q 'base unit'"
  ;;
*) echo "unknown case $case"; exit 2 ;;
esac
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
