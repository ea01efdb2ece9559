#!/usr/bin/env bash
# The webgpu backend on a real GPU: run once on an NVIDIA Linux machine (Debian/Ubuntu, Node 20, the
# driver installed) from a checkout of this repository. It uses Dawn's Vulkan backend, bringing the
# Vulkan loader as Debian packages if the machine lacks it, runs the webgpu correctness suite, then
# `pnpm bench` on webgpu next to native CPU in the same run, and prints one table.
# Usage: scripts/gpu/webgpu-check.sh            (about 5 minutes; no network needed after the install)
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
# the Vulkan loader, and NVIDIA's ICD manifest comes with the driver; vulkan-tools for vulkaninfo
for pkg in libvulkan1 vulkan-tools; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "== apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null
fi
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || echo "nvidia-smi: not found (no NVIDIA driver?)"
vulkaninfo --summary 2>/dev/null | grep -E 'deviceName|driverName' || echo "vulkaninfo: no Vulkan device"

command -v pnpm >/dev/null || npm i -g pnpm@12.4.2
pnpm install --frozen-lockfile >/dev/null
pnpm build >/dev/null

# Dawn's Vulkan backend only: a fallback to llvmpipe would measure the CPU, not the GPU
export LOGITLAB_WEBGPU_ADAPTER=vulkan LOGITLAB_REQUIRE_WEBGPU=1
# from apps/trainer: the root package depends on none of ours, so '@logitlab/backends' resolves only there
adapter=$(cd apps/trainer && node --input-type=module -e "
  import { useBackend } from '@logitlab/backends';
  const info = await useBackend('webgpu');
  console.log(\`\${info.adapter.name} (\${info.adapter.type}, \${info.adapter.api})\`);
" 2>/dev/null | tail -1) || { echo "webgpu did not start on Vulkan; see: node apps/trainer/bin/logitlab.mjs backends"; exit 1; }
echo "== adapter: $adapter"

log=$(mktemp -d)
status() { if [ "$1" -eq 0 ]; then echo pass; else echo "FAIL (see $2)"; fi; }
set +e
pnpm exec vitest run --maxWorkers=1 packages/backends/src/wasm/training-kernels.test.ts -t webgpu >"$log/kernels.txt" 2>&1
kernels=$?
pnpm exec vitest run --maxWorkers=1 packages/backends/src/wasm/seed-convnet.test.ts -t webgpu >"$log/convnet.txt" 2>&1
convnet=$?
pnpm exec vitest run --maxWorkers=1 packages/explain/src/explain-async.test.ts -t webgpu >"$log/lrp.txt" 2>&1
lrp=$?
(cd apps/trainer && node dist/cli.js bench --backends native,webgpu --workloads convnet,bn-mlp --no-torch --json "$log/bench.json") >"$log/bench.txt" 2>&1
bench=$?
set -e

echo
echo "| check | result |"
echo "|---|---|"
echo "| adapter | $adapter |"
echo "| differential kernel tests (gradients within 1e-4 of cpu) | $(status $kernels "$log/kernels.txt") |"
echo "| seed convnet, 20 SGD steps = cpu's losses (1e-4) | $(status $convnet "$log/convnet.txt") |"
echo "| LRP map = cpu's (1e-4 of its scale) | $(status $lrp "$log/lrp.txt") |"
if [ $bench -eq 0 ]; then
  node -e "
    const r = require('$log/bench.json');
    for (const w of r.workloads) console.log('| ' + w.name + ' train samples/s on ' + w.backend + ' | ' + Math.round(w.trainSamplesPerSec) + ' (infer ' + Math.round(w.inferSamplesPerSec) + ') |');
  "
else
  echo "| bench | $(status $bench "$log/bench.txt") |"
fi
