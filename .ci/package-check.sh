#!/usr/bin/env bash
# The archives Grafana installs: `npm run package` on the full `npm run build` output (every executable), then every
# archive unpacked and checked (tests/packaging/check-archives.ts: one top folder named after the plugin id, both
# plugin.json and module.js, exactly the executables it claims at mode 0755, no backend maps/fixtures/node_modules,
# its .sha256), and the linux executables in each started and asked CheckHealth: this machine's natively, linux arm64
# through qemu-aarch64 with Debian's arm64 glibc. Needs zip, unzip, qemu-user, libc6-arm64-cross (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${KICI_PACKAGE_OUT:-artifacts}
npm run --silent package -- --out "$out"
node_modules/.bin/tsx tests/packaging/check-archives.ts "$out" --all-targets \
  --emulate "linux_arm64=qemu-aarch64 -L /usr/aarch64-linux-gnu"
