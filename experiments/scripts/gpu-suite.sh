#!/bin/sh
# The GPU suite in one command, for a machine with CUDA, an NVIDIA GPU and PyTorch but no JDK and no network.
# Prepare on the build machine: the jlink image holds its own java (69 MiB unpacked, 44 MiB as a tarball, which
# is what travels under a 64 MiB limit):
#     ./mvnw -B -o package -DskipTests && tar czf experiments/target/image.tgz -C experiments/target image
# then run on the device machine from the repository root:
#     sh experiments/scripts/gpu-suite.sh
# Steps: (1) every CUDA kernel against the reference backend on device-resident operands, and the fused optimizer
# updates against the CPU's kernels bit for bit; (2) device-resident SGEMM at 4096^3 and 8192^3 beside torch.matmul
# (TF32 off); (3) the MLP 784-4000-4000-10 SGD step, optlab --backend cuda (parameters, gradients and optimizer state
# on the device; each step uploads its batch and reads the loss back) beside PyTorch eager at batch 100 and 1024.
# Exit status: that of the first failing step.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
java="$root/experiments/target/image/bin/java"
optlab() {
  "$java" -m optlab.experiments/optlab.experiments.cli.Main "$@"
}
if [ ! -x "$java" ] && [ -f "$root/experiments/target/image.tgz" ]; then
  tar xzf "$root/experiments/target/image.tgz" -C "$root/experiments/target"
fi
if [ ! -x "$java" ]; then
  echo "gpu-suite: no runtime image at experiments/target/image (build it with ./mvnw -B -o package -DskipTests)" >&2
  exit 2
fi
status=0
echo "== 1. CUDA kernels vs the reference backend, optimizer updates vs the CPU"
optlab gpu check || status=$?
echo "== 2. GEMM: optlab (cuBLAS, device-resident) beside torch.matmul, TF32 off"
optlab bench gemm --backend cuda --size 4096,8192 --dtype f32 --reps 10 || [ $status -ne 0 ] || status=$?
python3 "$root/experiments/scripts/torch_gpu_reference.py" --gemm 4096 8192 --mlp-batch || [ $status -ne 0 ] || status=$?
echo "== 3. MLP 784-4000-4000-10 training step: optlab --backend cuda beside PyTorch eager"
data='{"source": "gaussian-mixture", "classes": 10, "dim": 784, "train": 20480, "test": 1024}'
for batch in 100 1024; do
  cfg=$(mktemp)
  printf '{"data": %s}\n' "$data" >"$cfg"
  optlab train "$cfg" --model mlp:784-4000-4000-10 --optimizer sgd:lr=0.01 --batch $batch --steps 60 \
    --eval-every 60 --backend cuda --no-plot --out "${TMPDIR:-/tmp}/gpu-suite-mlp-$batch" --probe timing \
    | grep -E "samples/s|results in|failed" || [ $status -ne 0 ] || status=1
  rm -f "$cfg"
done
python3 "$root/experiments/scripts/torch_gpu_reference.py" --gemm --mlp-batch 100 1024 || [ $status -ne 0 ] || status=$?
exit $status
