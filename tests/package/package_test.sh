#!/bin/sh
# Tests of the .deb (packaging/): builds it with cpack from the build tree into a temporary folder,
# then checks what dpkg sees (control fields, conffiles, maintainer scripts, the file list), runs
# the extracted kioskctl, verifies the systemd units with systemd-analyze against the extracted
# tree, checks the udev rules' syntax, and runs the units' helper scripts.
# Usage: package_test.sh CASE BUILD_DIR SOURCE_DIR   (CASE: deb | units | udev | scripts)
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

# The package, made once per case (cpack with the gzip default takes a few seconds).
make_deb() {
  cpack --config "$build/CPackConfig.cmake" -B "$work/cpack" >"$work/cpack.log" 2>&1 || {
    cat "$work/cpack.log"; echo "FAILED: cpack"; exit 1; }
  deb=$(ls "$work"/cpack/kiosk_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || { cat "$work/cpack.log"; echo "FAILED: no kiosk_*.deb"; exit 1; }
  dpkg-deb -x "$deb" "$work/root"
}
field() { dpkg-deb -f "$deb" "$1"; }
has_dep() { field "$1" | tr ',' '\n' | sed 's/^ *//; s/ .*//; s/|.*//' | grep -qx "$2"; }

case "$case" in
deb)
  make_deb
  check "package name is kiosk" test "$(field Package)" = kiosk
  for library in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libcurl4 libssl3 libsqlite3-0 libtesseract5 libcups2 libusb-1.0-0; do
    check "Depends (dpkg-shlibdeps) has $library" has_dep Depends "$library"
  done
  for data in fonts-noto-cjk espeak-ng-data tesseract-ocr-chi-sim opencv-data systemd; do
    check "Depends has $data (loaded at run time)" has_dep Depends "$data"
  done
  for recommended in cage cups prometheus-node-exporter; do
    check "Recommends $recommended" has_dep Recommends "$recommended"
  done
  dpkg-deb -e "$deb" "$work/control"
  check "conffiles lists /etc/kiosk/config.json" grep -qx /etc/kiosk/config.json "$work/control/conffiles"
  for script in postinst prerm postrm; do
    check "$script is executable" test -x "$work/control/$script"
    check "$script is valid sh" sh -n "$work/control/$script"
  done
  dpkg-deb -c "$deb" | awk '{print $NF}' >"$work/files"
  for path in ./usr/bin/kiosk ./usr/bin/kioskctl ./etc/kiosk/config.json \
              ./usr/share/kiosk/assets/catalog/items.json ./usr/share/kiosk/assets/strings/ \
              ./lib/systemd/system/kiosk.service ./lib/systemd/system/kiosk-crashloop.service \
              ./lib/systemd/system/kiosk-retry.service ./lib/systemd/system/kiosk-retry.timer \
              ./lib/udev/rules.d/60-kiosk.rules ./usr/lib/tmpfiles.d/kiosk.conf \
              ./usr/lib/sysusers.d/kiosk.conf ./usr/lib/kiosk/kiosk-prestart ./usr/lib/kiosk/kiosk-crashloop; do
    check "package holds $path" grep -qx "$path" "$work/files"
  done
  check "config.json is root-owned 0644" sh -c "dpkg-deb -c '$deb' | grep -q '^-rw-r--r-- root/root .* ./etc/kiosk/config.json$'"
  check "binaries are stripped" sh -c "file -L '$work/root/usr/bin/kiosk' | grep -q ', stripped'"
  check "extracted kioskctl --help runs" "$work/root/usr/bin/kioskctl" --help
  "$work/root/usr/bin/kioskctl" --help >"$work/help" 2>&1
  check "kioskctl --help names its device commands" grep -q "device" "$work/help"
  # The packaged config turns every ops path on and names where the assets are installed.
  for key in '"control_socket": "/run/kiosk/control.sock"' '"metrics_dir": "/var/lib/prometheus/node-exporter"' \
             '"audit_log": "/var/lib/kiosk/audit.log"' '"audit_key_file": "/etc/kiosk/audit.key"' \
             '"state_dir": "/var/lib/kiosk"' '"assets_dir": "/usr/share/kiosk/assets"'; do
    check "config.json sets $key" grep -qF "$key" "$work/root/etc/kiosk/config.json"
  done
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
  rules=$source/packaging/udev/60-kiosk.rules
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
  check "60-kiosk.rules parses" syntax "$rules"
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
*) echo "unknown case $case"; exit 2 ;;
esac
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
