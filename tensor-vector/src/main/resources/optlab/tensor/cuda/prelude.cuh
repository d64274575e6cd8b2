/* optlab CUDA prelude: what kernels.cu needs from the CUDA target (the test stand-in defines the same for C). */
#define KERNEL(name, Args) extern "C" __global__ void name(const Args ARGS)
#define DEVICE static __device__ __forceinline__
#define THREAD_INDEX ((long long) blockIdx.x * blockDim.x + threadIdx.x)
#define THREAD_COUNT ((long long) blockDim.x * gridDim.x)
#define POS_INF __longlong_as_double(0x7ff0000000000000LL)
