/*
 * What NVRTC provides to kernels.cu, declared for g++ -fsyntax-only (CudaKernelSourceTest): the execution-space
 * qualifiers, the built-in index variables and the device intrinsics the prelude uses; the C math functions
 * NVRTC declares itself come from <math.h>. Only for checking that the program is valid C++, never run.
 */
#define __global__
#define __device__
#define __forceinline__ inline
struct optlab_dim3 { unsigned x, y, z; };
extern optlab_dim3 blockIdx, blockDim, threadIdx, gridDim;
static inline double __longlong_as_double(long long v) { double d; __builtin_memcpy(&d, &v, 8); return d; }
#include <math.h>
