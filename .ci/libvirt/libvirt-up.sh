#!/usr/bin/env bash
# libvirt-up.sh - install (idempotently) and start a real libvirt daemon with the
# QEMU driver, without systemd, for the acceptance suite (test/acceptance).
# Adapted from the project's tried reference scripts; this copy is self-contained.
#
# Tested on Debian 12 (bookworm, libvirt 9.0.0, QEMU 7.2) as root, no /dev/kvm
# (domains must use type='qemu', i.e. TCG), no systemd as PID 1.
#
# What it does:
#   1. installs the Debian packages if any is missing (apt-get update only if
#      there are no package lists yet or the first install attempt fails);
#      service auto-start during install is suppressed via policy-rc.d
#   2. starts virtlogd and libvirtd (monolithic; Debian 12 ships no virtqemud)
#      with PID files in $LIBVIRT_CI_STATE_DIR
#   3. waits until `virsh -c qemu:///system version` answers
#
# Only the processes started here are recorded; libvirt-down.sh stops exactly
# those (by PID file). If a libvirtd is already answering, nothing is started
# and nothing is recorded, so libvirt-down.sh will leave it alone.
#
# Environment:
#   LIBVIRT_CI_STATE_DIR      PID files / markers   (default /run/libvirt-ci)
#   LIBVIRT_UP_TIMEOUT        seconds to wait for the daemon (default 60)
#   LIBVIRT_UP_SKIP_INSTALL=1 never call apt-get
#   LIBVIRTD_CONF             alternative libvirtd.conf passed with -f, e.g. one
#                             with auth_unix_rw="none" so non-root users can
#                             connect (the default polkit auth needs D-Bus)
#   LIBVIRT_UP_DISABLE_NET_AUTOSTART (default 1 here)
#                             remove network autostart links before the daemon
#                             starts (with 0 they are only warned about; an
#                             autostarted NAT network creates a bridge,
#                             dnsmasq, MASQUERADE rules and sets ip_forward=1).
#                             libvirtd autostarts only on its first start after
#                             boot (marker /run/libvirt/network/autostarted), so
#                             this matters for fresh containers.
set -euo pipefail

STATE_DIR=${LIBVIRT_CI_STATE_DIR:-/run/libvirt-ci}
TIMEOUT=${LIBVIRT_UP_TIMEOUT:-60}
URI=qemu:///system
PACKAGES=(
  libvirt-daemon-system
  libvirt-daemon-system-sysv   # satisfies libvirt-daemon-system without pulling systemd-sysv
  libvirt-clients
  qemu-system-x86
  qemu-utils
  dnsmasq-base
  ovmf
  libxml2-utils                # xmllint, needed by virt-xml-validate
)

log() { printf '[libvirt-up %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }

[ "$(id -u)" -eq 0 ] || die "must run as root (qemu:///system)"
T0=$(now_ms)

# ---------------------------------------------------------------- install
missing_packages() {
  local p st
  for p in "${PACKAGES[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = installed ] || printf '%s\n' "$p"
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
    log "packages already installed"
    return 0
  fi
  [ "${LIBVIRT_UP_SKIP_INSTALL:-0}" = 1 ] && die "missing packages and LIBVIRT_UP_SKIP_INSTALL=1: ${missing[*]}"
  command -v apt-get >/dev/null || die "apt-get not found; install manually: ${missing[*]}"
  log "installing: ${missing[*]}"
  # Keep maintainer scripts from starting services (we start them ourselves).
  local prc=/usr/sbin/policy-rc.d made_prc=0
  if [ ! -e "$prc" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$prc"; chmod 755 "$prc"; made_prc=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  local t rc=0
  t=$(now_ms)
  export DEBIAN_FRONTEND=noninteractive
  local apt_install=(apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}")
  if compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    # package lists present: try without refreshing, refresh only on failure
    "${apt_install[@]}" >&2 || { apt-get update -qq >&2 && "${apt_install[@]}" >&2; } || rc=$?
  else
    { apt-get update -qq && "${apt_install[@]}"; } >&2 || rc=$?
  fi
  if [ "$made_prc" = 1 ]; then rm -f "$prc"; trap - EXIT; fi
  [ "$rc" -eq 0 ] || die "apt-get failed (rc=$rc)"
  log "install done in $(( $(now_ms) - t )) ms"
}

# ---------------------------------------------------------------- helpers
# pid_alive PIDFILE NAME -> 0 if PIDFILE names a live (non-zombie) process
# whose comm is NAME (guards against stale files and recycled PIDs)
pid_alive() {
  local f=$1 name=$2 pid state
  [ -s "$f" ] || return 1
  pid=$(tr -dc '0-9' < "$f")
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

virsh_ok() { timeout 10 virsh -c "$URI" version >/dev/null 2>&1; }

# ---------------------------------------------------------------- main
install_packages

mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"

if pid_alive "$STATE_DIR/libvirtd.pid" libvirtd; then
  virsh_ok || die "libvirtd from a previous libvirt-up (pid $(cat "$STATE_DIR/libvirtd.pid")) does not answer; run libvirt-down.sh first"
  log "libvirtd already running from a previous libvirt-up (pid $(cat "$STATE_DIR/libvirtd.pid"))"
  exit 0
fi
if [ -S /run/libvirt/libvirt-sock ] && virsh_ok; then
  log "a libvirt daemon not started by this script already answers on $URI; leaving it alone"
  exit 0
fi

# Network autostart links would make libvirtd start those networks at boot.
shopt -s nullglob
autostart=(/etc/libvirt/qemu/networks/autostart/*.xml)
shopt -u nullglob
if [ "${#autostart[@]}" -gt 0 ]; then
  if [ "${LIBVIRT_UP_DISABLE_NET_AUTOSTART:-1}" = 1 ]; then
    log "removing network autostart links: ${autostart[*]}"
    rm -f -- "${autostart[@]}"
  else
    log "WARNING: these networks will be autostarted by libvirtd: ${autostart[*]}"
  fi
fi

mkdir -p /run/libvirt /var/log/libvirt

# virtlogd: QEMU's stdout/stderr go through it (qemu.conf stdio_handler=logd).
if pid_alive "$STATE_DIR/virtlogd.pid" virtlogd; then
  log "virtlogd already running (pid $(cat "$STATE_DIR/virtlogd.pid"))"
elif [ -S /run/libvirt/virtlogd-sock ] && timeout 5 virt-admin -c virtlogd:///system version >/dev/null 2>&1; then
  log "a virtlogd not started by this script is running; using it"
else
  rm -f "$STATE_DIR/virtlogd.pid"
  virtlogd -d -p "$STATE_DIR/virtlogd.pid" || die "virtlogd failed to start"
  log "virtlogd started (pid $(cat "$STATE_DIR/virtlogd.pid"))"
fi

rm -f "$STATE_DIR/libvirtd.pid"
t=$(now_ms)
libvirtd_args=(-d -p "$STATE_DIR/libvirtd.pid")
if [ -n "${LIBVIRTD_CONF:-}" ]; then
  [ -r "$LIBVIRTD_CONF" ] || die "LIBVIRTD_CONF=$LIBVIRTD_CONF not readable"
  libvirtd_args+=(-f "$LIBVIRTD_CONF")
fi
libvirtd "${libvirtd_args[@]}" || die "libvirtd failed to start; see /var/log/libvirt/libvirtd.log"
pid_alive "$STATE_DIR/libvirtd.pid" libvirtd || die "libvirtd exited right after start; see /var/log/libvirt/libvirtd.log"
log "libvirtd started (pid $(cat "$STATE_DIR/libvirtd.pid")), waiting for $URI"

deadline=$(( $(date +%s) + TIMEOUT ))
until virsh_ok; do
  pid_alive "$STATE_DIR/libvirtd.pid" libvirtd || die "libvirtd died; see /var/log/libvirt/libvirtd.log"
  [ "$(date +%s)" -lt "$deadline" ] || die "no answer from $URI after ${TIMEOUT}s"
  sleep 0.2
done
log "$URI answers after $(( $(now_ms) - t )) ms (total $(( $(now_ms) - T0 )) ms)"
virsh -c "$URI" version
