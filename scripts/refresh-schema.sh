#!/usr/bin/env bash
# Refreshes the vendored provider schema from the Terraform registry.
#
#   PROVIDER_VERSION=0.9.8 npx projen schema:refresh
#
# Needs a terraform binary that can reach registry.terraform.io (it cannot on the project's
# build machines; run it where it can and commit the result). It writes
# schema/dmacvicar-libvirt-<version>.schema.json; then point PROVIDER_SCHEMA in .projenrc.ts at
# the new file, widen PROVIDER_CONSTRAINT if needed, run `npx projen` and `npx projen test`: the
# bindings are regenerated from it and the schema-conformance tests re-check every example.
set -euo pipefail
version=${PROVIDER_VERSION:?set PROVIDER_VERSION, e.g. PROVIDER_VERSION=0.9.8}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/main.tf" <<TF
terraform {
  required_providers {
    libvirt = { source = "dmacvicar/libvirt", version = "= ${version}" }
  }
}
TF
export CHECKPOINT_DISABLE=1
(cd "$work" && terraform init -input=false -no-color >/dev/null && terraform providers schema -json) > "$work/schema.json"
node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const key = Object.keys(s.provider_schemas || {}).find((k) => k.endsWith("dmacvicar/libvirt"));
  if (!key) { console.error("no dmacvicar/libvirt schema in the output"); process.exit(1); }
  require("fs").writeFileSync(process.argv[2], JSON.stringify(s, null, 1) + "\n");
' "$work/schema.json" "$root/schema/dmacvicar-libvirt-${version}.schema.json"
echo "wrote schema/dmacvicar-libvirt-${version}.schema.json"
