#!/bin/sh
# Smoke test of the OS image recipe (image/) without debootstrap: the overlay applied to a small
# fake root, and signed RAUC bundles made from a small rootfs folder — verified with the right
# keyring, refused when signed by another key, refused when the payload changed after signing.
# The full debootstrap build is `make image`, not part of `make test`.
# Usage: image_test.sh CASE SOURCE_DIR   (CASE: overlay | bundle)
set -u
case=$1
source=$2
image=$source/image
work=$(mktemp -d "${TMPDIR:-/tmp}/image_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
check() {
  description=$1; shift
  if "$@" >"$work/check.out" 2>&1; then pass "$description"; else fail "$description"; sed 's/^/    /' "$work/check.out"; fi
  cp "$work/check.out" "$work/last.out"  # what the previous check printed, for "…" follow-ups
}
refuse() {
  description=$1; shift
  if "$@" >"$work/check.out" 2>&1; then fail "$description (was accepted)"; sed 's/^/    /' "$work/check.out"; else pass "$description"; fi
  cp "$work/check.out" "$work/last.out"
}
"$image/dev-keys" "$work/keys" >/dev/null || { echo "FAILED: dev-keys"; exit 1; }
"$image/dev-keys" "$work/other" other >/dev/null || { echo "FAILED: dev-keys other"; exit 1; }

# A small rootfs: a few files and 128 KiB of random bytes (incompressible, so the squashfs holds
# real blocks for the tamper test to hit).
small_rootfs() {
  mkdir -p "$1/etc" "$1/usr/bin"
  echo "kiosk test rootfs" >"$1/etc/issue"
  head -c 131072 /dev/urandom >"$1/usr/bin/blob"
}

case "$case" in
overlay)
  root=$work/root
  # A minimal fake root: what the .deb puts in /lib/systemd/system, nothing else.
  mkdir -p "$root/lib/systemd/system"
  cp "$source"/packaging/systemd/* "$root/lib/systemd/system/"
  refuse "apply-overlay refuses a missing keyring" "$image/apply-overlay" --keyring "$work/none.pem" "$root"
  echo "not a certificate" >"$work/junk.pem"
  refuse "apply-overlay refuses a keyring that is not a certificate" "$image/apply-overlay" --keyring "$work/junk.pem" "$root"
  check "apply-overlay runs" "$image/apply-overlay" --keyring "$work/keys/ca.crt" "$root"
  check "apply-overlay runs again (idempotent)" "$image/apply-overlay" --keyring "$work/keys/ca.crt" "$root"
  units=$root/etc/systemd/system
  check "kiosk.service enabled for graphical.target" \
    test "$(readlink "$units/graphical.target.wants/kiosk.service")" = /lib/systemd/system/kiosk.service
  check "…and the link points at the packaged unit" test -f "$root/lib/systemd/system/kiosk.service"
  check "kiosk-mark-good.service enabled" test -f "$root$(readlink "$units/graphical.target.wants/kiosk-mark-good.service")"
  check "graphical.target is the default" test "$(readlink "$units/default.target")" = /lib/systemd/system/graphical.target
  for unit in getty@.service autovt@.service getty@tty1.service; do
    check "$unit masked" test "$(readlink "$units/$unit")" = /dev/null
  done
  journald=$root/etc/systemd/journald.conf.d/50-kiosk.conf
  check "journald persistent" grep -qx 'Storage=persistent' "$journald"
  check "journald SystemMaxUse capped" grep -Eqx 'SystemMaxUse=[0-9]+[MG]' "$journald"
  check "journald RuntimeMaxUse capped" grep -Eqx 'RuntimeMaxUse=[0-9]+[MG]' "$journald"
  check "journald keeps disk free" grep -Eqx 'SystemKeepFree=[0-9]+[MG]' "$journald"
  logind=$root/etc/systemd/logind.conf.d/50-kiosk.conf
  check "logind NAutoVTs=0" grep -qx 'NAutoVTs=0' "$logind"
  check "logind ReserveVT=0" grep -qx 'ReserveVT=0' "$logind"
  check "keyring is the signing CA" cmp "$root/etc/rauc/keyring.pem" "$work/keys/ca.crt"
  conf=$root/etc/rauc/system.conf
  check "RAUC slot rootfs.0 by partition label, bootname A" \
    sh -c "grep -A3 '^\[slot.rootfs.0\]' '$conf' | grep -qx 'device=/dev/disk/by-partlabel/rootfs0' && grep -A3 '^\[slot.rootfs.0\]' '$conf' | grep -qx 'bootname=A'"
  check "RAUC slot rootfs.1 by partition label, bootname B" \
    sh -c "grep -A3 '^\[slot.rootfs.1\]' '$conf' | grep -qx 'device=/dev/disk/by-partlabel/rootfs1' && grep -A3 '^\[slot.rootfs.1\]' '$conf' | grep -qx 'bootname=B'"
  check "RAUC boots with grub" grep -qx 'bootloader=grub' "$conf"
  check "node_exporter reads the kiosk's textfile dir" \
    grep -q -- '--collector.textfile.directory=/var/lib/prometheus/node-exporter' "$root/etc/default/prometheus-node-exporter"
  check "fstab mounts the data partition and binds the kiosk state" \
    sh -c "grep -q '^PARTLABEL=data  *  */data ' '$root/etc/fstab' && grep -q '^/data/kiosk  *  */var/lib/kiosk ' '$root/etc/fstab'"
  check "the GRUB A/B script is in the image" grep -q 'load_env' "$root/usr/share/kiosk-image/grub.cfg"
  # RAUC itself must accept system.conf (it rejects unknown keys and bootloaders): load it with the
  # keyring path pointed into this root, and verify a real bundle with it.
  sed "s|^path=/etc/rauc/keyring.pem|path=$root/etc/rauc/keyring.pem|; s|^statusfile=.*|statusfile=$work/rauc.status|" \
    "$conf" >"$work/system.conf"
  small_rootfs "$work/rootfs"
  "$image/make-bundle" --cert "$work/keys/signing.crt" --key "$work/keys/signing.key" "$work/rootfs" "$work/b.raucb" >/dev/null 2>&1
  check "rauc loads system.conf and verifies a bundle with its keyring" rauc --conf="$work/system.conf" info "$work/b.raucb"
  sed 's/^bootname=B/bootnme=B/' "$work/system.conf" >"$work/broken.conf"
  refuse "…and the same check catches a broken system.conf" rauc --conf="$work/broken.conf" info "$work/b.raucb"
  # The image's own units, verified against the host's units and binaries copied into the root.
  mkdir -p "$root/bin" "$root/usr/bin"
  cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
  for binary in /bin/mkdir /usr/bin/rauc /usr/bin/cage /usr/bin/env /bin/systemctl; do cp "$binary" "$root$binary"; done
  mkdir -p "$root/usr/lib/kiosk"
  cp "$source"/packaging/libexec/* "$root/usr/lib/kiosk/"
  verify() { systemd-analyze verify --root="$root" "$@" >"$work/verify.log" 2>&1; s=$?; cat "$work/verify.log"; [ $s -eq 0 ] && [ ! -s "$work/verify.log" ]; }
  check "systemd-analyze verify kiosk-data-dirs.service" verify /etc/systemd/system/kiosk-data-dirs.service
  check "systemd-analyze verify kiosk-mark-good.service" verify /etc/systemd/system/kiosk-mark-good.service
  # Rollback without a technician: kiosk-rollback with fake rauc and systemctl that log their calls.
  rollback=$root/usr/lib/kiosk-image/kiosk-rollback
  check "kiosk-rollback installed, executable" test -x "$rollback"
  check "systemd-analyze verify kiosk-crashloop.service with the image's drop-in" verify /lib/systemd/system/kiosk-crashloop.service
  check "kiosk-crashloop.service runs it on the image" \
    grep -qx 'ExecStart=/usr/lib/kiosk-image/kiosk-rollback failed' "$units/kiosk-crashloop.service.d/50-rollback.conf"
  mkdir -p "$work/rb/state" "$work/rb/run"
  printf '#!/bin/sh\necho "rauc $*" >>%s\n' "$work/rb/calls" >"$work/rb/rauc"
  printf '#!/bin/sh\necho "systemctl $*" >>%s\n' "$work/rb/calls" >"$work/rb/systemctl"
  chmod +x "$work/rb/rauc" "$work/rb/systemctl"
  rb() {
    echo "$1" >"$work/rb/cmdline"; shift
    env KIOSK_CMDLINE="$work/rb/cmdline" KIOSK_STATE_DIR="$work/rb/state" KIOSK_RUN_DIR="$work/rb/run" \
      RAUC="$work/rb/rauc" SYSTEMCTL="$work/rb/systemctl" "$rollback" "$@"
  }
  : >"$work/rb/calls"
  check "first boot fails: no rollback (nothing to go back to)" rb "quiet rauc.slot=A" failed
  check "…nothing marked bad" test ! -s "$work/rb/calls"
  check "slot A comes up: remembered as good" rb "quiet rauc.slot=A" good
  check "…last good slot A" grep -qx A "$work/rb/state/last-good-slot"
  check "a crash loop later on the same boot: no rollback" rb "quiet rauc.slot=A" failed
  rm -f "$work/rb/run/kiosk-boot-good"
  check "slot A fails on a later boot: still no rollback (it is the last good one)" rb "quiet rauc.slot=A" failed
  check "…nothing marked bad" test ! -s "$work/rb/calls"
  check "the update in slot B never comes up: rollback" rb "quiet rauc.slot=B" failed
  check "…B marked bad, then a reboot" \
    sh -c "printf 'rauc status mark-bad booted\nsystemctl --no-block reboot\n' | cmp - '$work/rb/calls'"
  check "not booted by RAUC: nothing to do" rb "quiet" failed
  refuse "a wrong argument is refused" rb "rauc.slot=A" sideways
  ;;
bundle)
  small_rootfs "$work/rootfs"
  check "make-bundle (ext4) signs with the development key" \
    "$image/make-bundle" --cert "$work/keys/signing.crt" --key "$work/keys/signing.key" --keyring "$work/keys/ca.crt" \
      --version 2026.12.1 "$work/rootfs" "$work/good.raucb"
  check "verify-bundle accepts it with the right keyring" "$image/verify-bundle" --keyring "$work/keys/ca.crt" "$work/good.raucb"
  check "…naming compatible and version" grep -q 'compatible zwfw-kiosk-amd64, version 2026.12.1' "$work/last.out"
  rauc info --keyring="$work/keys/ca.crt" --output-format=shell "$work/good.raucb" >"$work/info" 2>/dev/null
  compatible=$(sed -n 's/^compatible=//p' "$image/overlay/etc/rauc/system.conf")
  check "bundle's compatible is the image's ($compatible)" grep -qx "RAUC_MF_COMPATIBLE='$compatible'" "$work/info"
  check "bundle is verity format" sh -c "rauc info --keyring='$work/keys/ca.crt' '$work/good.raucb' 2>/dev/null | grep -q 'Bundle Format:.*verity'"
  check "bundle carries the identity hook" grep -qx "RAUC_IMAGE_HOOKS_0='post-install'" "$work/info"
  check "make-bundle (tar) works too" \
    "$image/make-bundle" --cert "$work/keys/signing.crt" --key "$work/keys/signing.key" --format tar "$work/rootfs" "$work/tar.raucb"
  check "verify-bundle accepts the tar bundle" "$image/verify-bundle" --keyring "$work/keys/ca.crt" "$work/tar.raucb"

  # Fault: a bundle signed by another key (a valid signature, but not by our CA) is refused.
  check "make-bundle with another key" \
    "$image/make-bundle" --cert "$work/other/signing.crt" --key "$work/other/signing.key" "$work/rootfs" "$work/wrong-key.raucb"
  refuse "wrong-key bundle refused" "$image/verify-bundle" --keyring "$work/keys/ca.crt" "$work/wrong-key.raucb"
  check "…for its signature" grep -q 'REFUSED.*signature' "$work/last.out"
  # Fault: the payload changed after signing (bytes flipped inside the squashfs) is refused —
  # `rauc info` alone would accept it, it reads only the signed manifest.
  cp "$work/good.raucb" "$work/tampered.raucb"
  printf '\125\252\125\252' | dd of="$work/tampered.raucb" bs=1 seek=40000 conv=notrunc 2>/dev/null
  check "the tampered bundle differs from the signed one" sh -c "! cmp -s '$work/good.raucb' '$work/tampered.raucb'"
  refuse "tampered payload refused" "$image/verify-bundle" --keyring "$work/keys/ca.crt" "$work/tampered.raucb"
  check "…for its payload" grep -q 'REFUSED.*payload' "$work/last.out"
  # Fault: a truncated download is refused.
  head -c 50000 "$work/good.raucb" >"$work/truncated.raucb"
  refuse "truncated bundle refused" "$image/verify-bundle" --keyring "$work/keys/ca.crt" "$work/truncated.raucb"
  # Fault: an unsigned-looking bundle made with the right CA's cert but another key cannot be made.
  refuse "make-bundle refuses a key that does not match the certificate" \
    "$image/make-bundle" --cert "$work/keys/signing.crt" --key "$work/other/signing.key" "$work/rootfs" "$work/mismatch.raucb"
  ;;
*) echo "unknown case $case"; exit 2 ;;
esac
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
