#!/usr/bin/env bash
# acceptance.sh - run the real-libvirt acceptance suite end to end, as root:
#   1. libvirt-up.sh   install (idempotently) and start virtlogd + libvirtd, PID files only
#   2. npx jest test/acceptance with LIBVIRT_ACCEPTANCE=required (no daemon = failure, not a skip)
#   3. libvirt-down.sh stop exactly the daemons step 1 started, by PID file - also when 1 or 2 fail
#
# The suite itself removes every object it defined, by name, in its afterAll hooks.
# Extra arguments are passed to jest (e.g. -t 'examples/lab').
#
# Environment: as for libvirt-up.sh / libvirt-down.sh (LIBVIRT_CI_STATE_DIR, LIBVIRT_UP_SKIP_INSTALL,
# LIBVIRTD_CONF, ...). LIBVIRT_UP_DISABLE_NET_AUTOSTART defaults to 1: no NAT network autostarts.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export LIBVIRT_UP_DISABLE_NET_AUTOSTART=${LIBVIRT_UP_DISABLE_NET_AUTOSTART:-1}

down() { bash "$here/libvirt-down.sh" || true; }
trap down EXIT

bash "$here/libvirt-up.sh" || { echo "acceptance: libvirt-up.sh failed" >&2; exit 1; }
cd "$root" || exit 1
LIBVIRT_ACCEPTANCE=required npx jest --ci --coverage=false test/acceptance "$@"
