/*
 * A stand-in for libcudart, libcublas, libnvrtc and libcuda: the same symbols with host-memory semantics and
 * the real status codes, so the FFM bindings, argument marshalling, lifetimes, error paths and the CUDA
 * backend run on every build without a GPU. "Device" memory is host memory the stand-in tracks: copies and
 * GEMM check that device pointers lie inside a live allocation (as the hardware's page tables would), a huge
 * cudaMalloc fails with cudaErrorMemoryAllocation, a second cudaFree with cudaErrorInvalidValue. NVRTC
 * "compiles" by checking the source and returning a PTX-looking text; cuLaunchKernel runs the C build of the
 * same kernels.cu (included below) one thread after another, looked up by kernel name.
 *
 * Build: gcc -shared -fPIC -O2 -ffp-contract=off -I <main resources>/optlab/tensor/cuda standin.c -o libcudastandin.so -lm -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- the C target of kernels.cu */

typedef struct { unsigned x, y, z; } standin_dim3;
static __thread standin_dim3 blockIdx, threadIdx, blockDim, gridDim;

#define KERNEL(name, Args) void name(const Args *args_)
#define ARGS (*args_)
#define DEVICE static inline
#define THREAD_INDEX ((long long) blockIdx.x * blockDim.x + threadIdx.x)
#define THREAD_COUNT ((long long) blockDim.x * gridDim.x)
#define POS_INF INFINITY

#define OPTLAB_F64 0
#include "kernels.cu"
#undef OPTLAB_F64
#define OPTLAB_F64 1
#include "kernels.cu"

/* ---------------------------------------------------------------- device memory */

/* Total "device memory": allocations beyond it fail as on a full device. */
#define DEVICE_BYTES (8ULL << 30)

typedef struct allocation {
    char *base;
    size_t size;
    struct allocation *next;
} allocation;

static allocation *live;
static size_t in_use;

/* The allocation holding [p, p + n), or NULL. */
static allocation *find(const void *p, size_t n) {
    const char *c = (const char *) p;
    for (allocation *a = live; a; a = a->next) {
        if (c >= a->base && c + n <= a->base + a->size && c + n >= c) {
            return a;
        }
    }
    return NULL;
}

/* Live allocations and their bytes: the tests check that a backend frees what it made. */
long long standinLiveAllocations(void) {
    long long n = 0;
    for (allocation *a = live; a; a = a->next) {
        n++;
    }
    return n;
}

long long standinBytesInUse(void) {
    return (long long) in_use;
}

/* ---------------------------------------------------------------- cudart */

enum { cudaSuccess = 0, cudaErrorInvalidValue = 1, cudaErrorMemoryAllocation = 2, cudaErrorInvalidDevice = 101,
       cudaErrorInvalidResourceHandle = 400 };

const char *cudaGetErrorString(int e) {
    switch (e) {
        case 0: return "no error";
        case 1: return "invalid argument";
        case 2: return "out of memory";
        case 101: return "invalid device ordinal";
        case 400: return "invalid resource handle";
        default: return "unrecognized error code";
    }
}

const char *cudaGetErrorName(int e) {
    switch (e) {
        case 0: return "cudaSuccess";
        case 1: return "cudaErrorInvalidValue";
        case 2: return "cudaErrorMemoryAllocation";
        case 101: return "cudaErrorInvalidDevice";
        case 400: return "cudaErrorInvalidResourceHandle";
        default: return "cudaErrorUnknown";
    }
}

int cudaGetDeviceCount(int *n) {
    if (!n) return cudaErrorInvalidValue;
    *n = 1;
    return cudaSuccess;
}

int cudaSetDevice(int d) {
    return d == 0 ? cudaSuccess : cudaErrorInvalidDevice;
}

int cudaDeviceSynchronize(void) {
    return cudaSuccess;
}

int cudaMalloc(void **p, size_t size) {
    if (!p) return cudaErrorInvalidValue;
    if (size > DEVICE_BYTES - in_use) return cudaErrorMemoryAllocation;
    allocation *a = malloc(sizeof *a);
    char *base = malloc(size ? size : 1);
    if (!a || !base) {
        free(a);
        free(base);
        return cudaErrorMemoryAllocation;
    }
    memset(base, 0xA5, size); /* like the device: uninitialized memory is not zeros */
    a->base = base;
    a->size = size;
    a->next = live;
    live = a;
    in_use += size;
    *p = base;
    return cudaSuccess;
}

int cudaFree(void *p) {
    if (!p) return cudaSuccess;
    for (allocation **link = &live; *link; link = &(*link)->next) {
        if ((*link)->base == p) {
            allocation *a = *link;
            *link = a->next;
            in_use -= a->size;
            free(a->base);
            free(a);
            return cudaSuccess;
        }
    }
    return cudaErrorInvalidValue;
}

/* Copies between host and device memory so far: the tests check that a device-resident step makes few. */
static long long transfers;

long long standinTransfers(void) {
    return transfers;
}

/* cudaMemcpyKind: 0 H2H, 1 H2D, 2 D2H, 3 D2D, 4 default. */
int cudaMemcpy(void *dst, const void *src, size_t n, int kind) {
    if (n == 0) return cudaSuccess;
    if (!dst || !src || kind < 0 || kind > 4) return cudaErrorInvalidValue;
    int dstDevice = kind == 1 || kind == 3, srcDevice = kind == 2 || kind == 3;
    if (kind == 4) {
        dstDevice = find(dst, n) != NULL;
        srcDevice = find(src, n) != NULL;
    }
    if ((dstDevice && !find(dst, n)) || (srcDevice && !find(src, n))) return cudaErrorInvalidValue;
    if ((!dstDevice && find(dst, 1)) || (!srcDevice && find(src, 1))) return cudaErrorInvalidValue;
    transfers += dstDevice != srcDevice;
    memmove(dst, src, n);
    return cudaSuccess;
}

/* Streams and events are small tagged blocks; a destroyed or foreign handle is an invalid resource handle. */
#define STREAM_TAG 0x5354524541ULL
#define EVENT_TAG 0x4556454e54ULL
typedef struct { unsigned long long tag; double time; } handle_block;

static int valid(void *h, unsigned long long tag) {
    return h == NULL ? tag == STREAM_TAG : ((handle_block *) h)->tag == tag;
}

static int create(void **h, unsigned long long tag) {
    if (!h) return cudaErrorInvalidValue;
    handle_block *b = calloc(1, sizeof *b);
    b->tag = tag;
    *h = b;
    return cudaSuccess;
}

static int destroy(void *h, unsigned long long tag) {
    if (!h || ((handle_block *) h)->tag != tag) return cudaErrorInvalidResourceHandle;
    ((handle_block *) h)->tag = 0; /* kept, not freed, so a stale handle is still recognized as stale */
    return cudaSuccess;
}

int cudaMemcpyAsync(void *dst, const void *src, size_t n, int kind, void *stream) {
    if (!valid(stream, STREAM_TAG)) return cudaErrorInvalidResourceHandle;
    return cudaMemcpy(dst, src, n, kind);
}

int cudaMemsetAsync(void *dst, int value, size_t n, void *stream) {
    if (!valid(stream, STREAM_TAG)) return cudaErrorInvalidResourceHandle;
    if (n && !find(dst, n)) return cudaErrorInvalidValue;
    memset(dst, value, n);
    return cudaSuccess;
}

int cudaStreamCreate(void **s) { return create(s, STREAM_TAG); }
int cudaStreamDestroy(void *s) { return destroy(s, STREAM_TAG); }
int cudaStreamSynchronize(void *s) { return valid(s, STREAM_TAG) ? cudaSuccess : cudaErrorInvalidResourceHandle; }
int cudaEventCreate(void **e) { return create(e, EVENT_TAG); }
int cudaEventDestroy(void *e) { return destroy(e, EVENT_TAG); }
int cudaEventSynchronize(void *e) { return e && valid(e, EVENT_TAG) ? cudaSuccess : cudaErrorInvalidResourceHandle; }

int cudaEventRecord(void *e, void *s) {
    if (!e || !valid(e, EVENT_TAG) || !valid(s, STREAM_TAG)) return cudaErrorInvalidResourceHandle;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ((handle_block *) e)->time = ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
    return cudaSuccess;
}

int cudaEventElapsedTime(float *ms, void *start, void *end) {
    if (!ms) return cudaErrorInvalidValue;
    if (!start || !end || !valid(start, EVENT_TAG) || !valid(end, EVENT_TAG)) return cudaErrorInvalidResourceHandle;
    *ms = (float) (((handle_block *) end)->time - ((handle_block *) start)->time);
    return cudaSuccess;
}

/* ---------------------------------------------------------------- cuBLAS (column-major, as the library) */

enum { CUBLAS_STATUS_SUCCESS = 0, CUBLAS_STATUS_NOT_INITIALIZED = 1, CUBLAS_STATUS_INVALID_VALUE = 7,
       CUBLAS_STATUS_EXECUTION_FAILED = 13 };
#define CUBLAS_TAG 0x43424c4153ULL

const char *cublasGetStatusString(int s) {
    switch (s) {
        case 0: return "the operation completed successfully";
        case 1: return "the library was not initialized";
        case 7: return "an invalid numeric value was used as an argument";
        case 13: return "the GPU program failed to execute";
        default: return "unknown error";
    }
}

int cublasCreate_v2(void **h) { return create(h, CUBLAS_TAG); }
int cublasDestroy_v2(void *h) { return h && valid(h, CUBLAS_TAG) ? (destroy(h, CUBLAS_TAG), 0) : CUBLAS_STATUS_NOT_INITIALIZED; }

int cublasSetStream_v2(void *h, void *s) {
    if (!h || !valid(h, CUBLAS_TAG)) return CUBLAS_STATUS_NOT_INITIALIZED;
    return valid(s, STREAM_TAG) ? 0 : CUBLAS_STATUS_INVALID_VALUE;
}

/* Bytes spanned by a column-major rows x cols matrix with leading dimension ld. */
static size_t span(int rows, int cols, int ld, size_t elem) {
    return rows == 0 || cols == 0 ? 0 : ((size_t) (cols - 1) * ld + rows) * elem;
}

/* C = alpha op(A) op(B) + beta C, batched; A is m x k after op, B k x n, C m x n. */
static int gemm(void *h, int ta, int tb, int m, int n, int k, double alpha, const void *A, int lda, long long sa,
        const void *B, int ldb, long long sb, double beta, void *C, int ldc, long long sc, int count, int f64) {
    if (!h || !valid(h, CUBLAS_TAG)) return CUBLAS_STATUS_NOT_INITIALIZED;
    int ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
    if (ta < 0 || ta > 1 || tb < 0 || tb > 1 || m < 0 || n < 0 || k < 0 || count < 0 || lda < (ar > 1 ? ar : 1)
            || ldb < (br > 1 ? br : 1) || ldc < (m > 1 ? m : 1)) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    size_t e = f64 ? 8 : 4;
    for (int q = 0; q < count; q++) {
        const char *a = (const char *) A + (size_t) (q * sa) * e, *b = (const char *) B + (size_t) (q * sb) * e;
        char *c = (char *) C + (size_t) (q * sc) * e;
        if ((k && m && !find(a, span(ar, ac, lda, e))) || (k && n && !find(b, span(br, bc, ldb, e)))
                || (m && n && !find(c, span(m, n, ldc, e)))) {
            return CUBLAS_STATUS_EXECUTION_FAILED; /* a host or freed pointer: the kernel would fault */
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    size_t ai = ta ? (size_t) i * lda + p : (size_t) p * lda + i;
                    size_t bi = tb ? (size_t) p * ldb + j : (size_t) j * ldb + p;
                    acc += f64 ? ((const double *) a)[ai] * ((const double *) b)[bi]
                               : (double) ((const float *) a)[ai] * ((const float *) b)[bi];
                }
                size_t ci = (size_t) j * ldc + i;
                if (f64) {
                    double *cv = (double *) c;
                    cv[ci] = alpha * acc + (beta == 0 ? 0 : beta * cv[ci]);
                } else {
                    float *cv = (float *) c;
                    cv[ci] = (float) (alpha * acc + (beta == 0 ? 0 : beta * cv[ci]));
                }
            }
        }
    }
    return CUBLAS_STATUS_SUCCESS;
}

int cublasSgemm_v2(void *h, int ta, int tb, int m, int n, int k, const float *alpha, const float *A, int lda,
        const float *B, int ldb, const float *beta, float *C, int ldc) {
    return gemm(h, ta, tb, m, n, k, *alpha, A, lda, 0, B, ldb, 0, *beta, C, ldc, 0, 1, 0);
}

int cublasDgemm_v2(void *h, int ta, int tb, int m, int n, int k, const double *alpha, const double *A, int lda,
        const double *B, int ldb, const double *beta, double *C, int ldc) {
    return gemm(h, ta, tb, m, n, k, *alpha, A, lda, 0, B, ldb, 0, *beta, C, ldc, 0, 1, 1);
}

int cublasSgemmStridedBatched(void *h, int ta, int tb, int m, int n, int k, const float *alpha, const float *A,
        int lda, long long sa, const float *B, int ldb, long long sb, const float *beta, float *C, int ldc,
        long long sc, int count) {
    return gemm(h, ta, tb, m, n, k, *alpha, A, lda, sa, B, ldb, sb, *beta, C, ldc, sc, count, 0);
}

int cublasDgemmStridedBatched(void *h, int ta, int tb, int m, int n, int k, const double *alpha, const double *A,
        int lda, long long sa, const double *B, int ldb, long long sb, const double *beta, double *C, int ldc,
        long long sc, int count) {
    return gemm(h, ta, tb, m, n, k, *alpha, A, lda, sa, B, ldb, sb, *beta, C, ldc, sc, count, 1);
}

/* ---------------------------------------------------------------- NVRTC */

enum { NVRTC_SUCCESS = 0, NVRTC_ERROR_INVALID_INPUT = 3, NVRTC_ERROR_INVALID_PROGRAM = 4,
       NVRTC_ERROR_COMPILATION = 6 };
#define PROGRAM_TAG 0x4e56525443ULL
#define PTX_HEADER "// optlab CUDA stand-in PTX\n.version 8.0\n"

typedef struct { unsigned long long tag; char *source; char *log; char *ptx; } program;

const char *nvrtcGetErrorString(int r) {
    switch (r) {
        case 0: return "NVRTC_SUCCESS";
        case 3: return "NVRTC_ERROR_INVALID_INPUT";
        case 4: return "NVRTC_ERROR_INVALID_PROGRAM";
        case 6: return "NVRTC_ERROR_COMPILATION";
        default: return "NVRTC_ERROR unknown";
    }
}

int nvrtcCreateProgram(void **prog, const char *src, const char *name, int nh, const char *const *h,
        const char *const *inc) {
    (void) name; (void) h; (void) inc;
    if (!prog || !src || nh < 0) return NVRTC_ERROR_INVALID_INPUT;
    program *p = calloc(1, sizeof *p);
    p->tag = PROGRAM_TAG;
    p->source = strdup(src);
    p->log = strdup("");
    *prog = p;
    return NVRTC_SUCCESS;
}

static program *prog_of(void *h) {
    return h && ((program *) h)->tag == PROGRAM_TAG ? (program *) h : NULL;
}

/* Accepts a program that defines kernels and has no #error line; the log quotes the offending line. */
int nvrtcCompileProgram(void *h, int nopt, const char *const *opts) {
    program *p = prog_of(h);
    if (!p) return NVRTC_ERROR_INVALID_PROGRAM;
    for (int i = 0; i < nopt; i++) {
        if (!opts || !opts[i] || strncmp(opts[i], "-", 1) != 0) return NVRTC_ERROR_INVALID_INPUT;
    }
    const char *err = strstr(p->source, "#error");
    if (err || !strstr(p->source, "__global__")) {
        const char *end = err ? strchr(err, '\n') : NULL;
        size_t len = err ? (end ? (size_t) (end - err) : strlen(err)) : 0;
        free(p->log);
        p->log = malloc(len + 64);
        if (err) {
            snprintf(p->log, len + 64, "optlab.cu(1): error: %.*s", (int) len, err);
        } else {
            snprintf(p->log, 64, "optlab.cu: error: no __global__ function");
        }
        return NVRTC_ERROR_COMPILATION;
    }
    free(p->ptx);
    p->ptx = strdup(PTX_HEADER);
    return NVRTC_SUCCESS;
}

int nvrtcGetProgramLogSize(void *h, size_t *n) {
    program *p = prog_of(h);
    if (!p || !n) return NVRTC_ERROR_INVALID_INPUT;
    *n = strlen(p->log) + 1;
    return NVRTC_SUCCESS;
}

int nvrtcGetProgramLog(void *h, char *out) {
    program *p = prog_of(h);
    if (!p || !out) return NVRTC_ERROR_INVALID_INPUT;
    strcpy(out, p->log);
    return NVRTC_SUCCESS;
}

int nvrtcGetPTXSize(void *h, size_t *n) {
    program *p = prog_of(h);
    if (!p || !p->ptx || !n) return NVRTC_ERROR_INVALID_PROGRAM;
    *n = strlen(p->ptx) + 1;
    return NVRTC_SUCCESS;
}

int nvrtcGetPTX(void *h, char *out) {
    program *p = prog_of(h);
    if (!p || !p->ptx || !out) return NVRTC_ERROR_INVALID_PROGRAM;
    strcpy(out, p->ptx);
    return NVRTC_SUCCESS;
}

int nvrtcDestroyProgram(void **h) {
    program *p = h ? prog_of(*h) : NULL;
    if (!p) return NVRTC_ERROR_INVALID_PROGRAM;
    p->tag = 0;
    free(p->source);
    free(p->log);
    free(p->ptx);
    free(p);
    *h = NULL;
    return NVRTC_SUCCESS;
}

/* ---------------------------------------------------------------- driver API */

enum { CUDA_SUCCESS = 0, CUDA_ERROR_INVALID_VALUE = 1, CUDA_ERROR_NOT_INITIALIZED = 3,
       CUDA_ERROR_INVALID_DEVICE = 101, CUDA_ERROR_INVALID_IMAGE = 200, CUDA_ERROR_INVALID_HANDLE = 400,
       CUDA_ERROR_NOT_FOUND = 500 };
#define MODULE_TAG 0x4d4f44554cULL
#define FUNCTION_TAG 0x46554e43ULL

typedef void (*kernel_fn)(const void *);
typedef struct { unsigned long long tag; kernel_fn fn; char name[96]; } function;

static int initialized;

int cuGetErrorString(int e, const char **s) {
    if (!s) return CUDA_ERROR_INVALID_VALUE;
    switch (e) {
        case 0: *s = "no error"; break;
        case 1: *s = "invalid argument"; break;
        case 3: *s = "initialization error"; break;
        case 101: *s = "invalid device ordinal"; break;
        case 200: *s = "device kernel image is invalid"; break;
        case 400: *s = "invalid resource handle"; break;
        case 500: *s = "named symbol not found"; break;
        default: *s = NULL; return CUDA_ERROR_INVALID_VALUE;
    }
    return CUDA_SUCCESS;
}

int cuInit(unsigned flags) {
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    initialized = 1;
    return CUDA_SUCCESS;
}

int cuDeviceGet(int *d, int ordinal) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (!d) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *d = 0;
    return CUDA_SUCCESS;
}

int cuDeviceGetAttribute(int *v, int attr, int d) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (!v || d != 0) return CUDA_ERROR_INVALID_VALUE;
    *v = attr == 75 ? 9 : attr == 76 ? 0 : 0; /* compute capability 9.0, as an H100 */
    return CUDA_SUCCESS;
}

static handle_block context = {0x435458ULL, 0};

int cuDevicePrimaryCtxRetain(void **ctx, int d) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (!ctx || d != 0) return CUDA_ERROR_INVALID_VALUE;
    *ctx = &context;
    return CUDA_SUCCESS;
}

int cuCtxSetCurrent(void *ctx) {
    return ctx == NULL || ctx == &context ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

int cuModuleLoadData(void **module, const void *image) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (!module || !image) return CUDA_ERROR_INVALID_VALUE;
    if (strncmp((const char *) image, PTX_HEADER, strlen(PTX_HEADER)) != 0) return CUDA_ERROR_INVALID_IMAGE;
    return create(module, MODULE_TAG) == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

int cuModuleUnload(void *module) {
    return module && valid(module, MODULE_TAG) ? (destroy(module, MODULE_TAG), CUDA_SUCCESS) : CUDA_ERROR_INVALID_HANDLE;
}

/* Kernels are this library's own exported functions of that name (the C build of kernels.cu). */
int cuModuleGetFunction(void **f, void *module, const char *name) {
    if (!f || !name) return CUDA_ERROR_INVALID_VALUE;
    if (!module || !valid(module, MODULE_TAG)) return CUDA_ERROR_INVALID_HANDLE;
    Dl_info self;
    if (!dladdr((void *) cuModuleGetFunction, &self)) return CUDA_ERROR_NOT_FOUND;
    void *lib = dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD);
    void *sym = lib ? dlsym(lib, name) : NULL;
    if (lib) dlclose(lib);
    if (!sym || strlen(name) >= sizeof ((function *) 0)->name || strncmp(name, "cu", 2) == 0
            || strncmp(name, "nvrtc", 5) == 0 || strncmp(name, "standin", 7) == 0) {
        return CUDA_ERROR_NOT_FOUND;
    }
    function *fn = calloc(1, sizeof *fn);
    fn->tag = FUNCTION_TAG;
    fn->fn = (kernel_fn) sym;
    strcpy(fn->name, name);
    *f = fn;
    return CUDA_SUCCESS;
}

/* Launches counted, for the tests that check a backend launches what it should. */
static long long launches;

long long standinLaunches(void) {
    return launches;
}

int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
        unsigned shared, void *stream, void **params, void **extra) {
    function *fn = (function *) f;
    if (!fn || fn->tag != FUNCTION_TAG || !valid(stream, STREAM_TAG)) return CUDA_ERROR_INVALID_HANDLE;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || bx * by * bz > 1024 || shared > 49152
            || !params || extra || gy != 1 || gz != 1 || by != 1 || bz != 1) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    launches++;
    gridDim = (standin_dim3) {gx, 1, 1};
    blockDim = (standin_dim3) {bx, 1, 1};
    for (unsigned b = 0; b < gx; b++) {
        for (unsigned t = 0; t < bx; t++) {
            blockIdx = (standin_dim3) {b, 0, 0};
            threadIdx = (standin_dim3) {t, 0, 0};
            fn->fn(params[0]);
        }
    }
    return CUDA_SUCCESS;
}
