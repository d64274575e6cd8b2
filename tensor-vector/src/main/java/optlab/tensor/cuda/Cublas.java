package optlab.tensor.cuda;

import static optlab.tensor.cuda.Downcalls.INT;
import static optlab.tensor.cuda.Downcalls.PTR;
import static optlab.tensor.cuda.Downcalls.SIZE;
import static optlab.tensor.cuda.Downcalls.pointer;
import static optlab.tensor.cuda.Downcalls.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import optlab.tensor.DType;

/**
 * cuBLAS (v2 API): a handle bound to a stream and column-major GEMM, single and strided-batched, in F32
 * (Sgemm) and F64 (Dgemm). Row-major callers use the transpose identity (see {@link DeviceGemm}). Alpha
 * and beta are host scalars (the default pointer mode). Failures carry cublasGetStatusString's text.
 */
final class Cublas {
    /** cublasOperation_t. */
    static final int OP_N = 0, OP_T = 1;

    private final MethodHandle create, destroy, setStream, sgemm, dgemm, sgemmBatched, dgemmBatched, statusString;

    Cublas(SymbolLookup lib) {
        Downcalls d = new Downcalls(lib, "libcublas");
        create = d.status("cublasCreate_v2", PTR);
        destroy = d.status("cublasDestroy_v2", PTR);
        setStream = d.status("cublasSetStream_v2", PTR, PTR);
        // (handle, transa, transb, m, n, k, *alpha, A, lda, B, ldb, *beta, C, ldc)
        java.lang.foreign.MemoryLayout[] gemm = {PTR, INT, INT, INT, INT, INT, PTR, PTR, INT, PTR, INT, PTR, PTR, INT};
        sgemm = d.status("cublasSgemm_v2", gemm);
        dgemm = d.status("cublasDgemm_v2", gemm);
        // (handle, transa, transb, m, n, k, *alpha, A, lda, strideA, B, ldb, strideB, *beta, C, ldc, strideC, count)
        java.lang.foreign.MemoryLayout[] batched = {PTR, INT, INT, INT, INT, INT, PTR, PTR, INT, SIZE, PTR, INT, SIZE,
                PTR, PTR, INT, SIZE, INT};
        sgemmBatched = d.status("cublasSgemmStridedBatched", batched);
        dgemmBatched = d.status("cublasDgemmStridedBatched", batched);
        statusString = d.handle("cublasGetStatusString", FunctionDescriptor.of(PTR, INT));
    }

    void check(String call, int status) {
        if (status != 0) {
            String text;
            try {
                text = Downcalls.string((MemorySegment) statusString.invokeExact(status));
            } catch (Throwable t) {
                throw rethrow(t);
            }
            throw new CudaException(call, status, text);
        }
    }

    long create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cublasCreate", (int) create.invokeExact(p));
            return p.get(ValueLayout.ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void destroy(long handle) {
        try {
            check("cublasDestroy", (int) destroy.invokeExact(pointer(handle)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void setStream(long handle, long stream) {
        try {
            check("cublasSetStream", (int) setStream.invokeExact(pointer(handle), pointer(stream)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Column-major C (m×n, leading dimension ldc) = alpha·op(A)·op(B) + beta·C, batched {@code count} times
     * with the given element strides between consecutive matrices (count 1: a plain gemm call).
     */
    void gemm(long handle, DType dtype, int transA, int transB, int m, int n, int k, double alpha, long a, int lda,
            long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = scalar(arena, dtype, alpha), be = scalar(arena, dtype, beta);
            MemorySegment h = pointer(handle), pa = pointer(a), pb = pointer(b), pc = pointer(c);
            int status;
            if (count == 1) {
                MethodHandle g = dtype == DType.F32 ? sgemm : dgemm;
                status = (int) g.invokeExact(h, transA, transB, m, n, k, al, pa, lda, pb, ldb, be, pc, ldc);
            } else {
                MethodHandle g = dtype == DType.F32 ? sgemmBatched : dgemmBatched;
                status = (int) g.invokeExact(h, transA, transB, m, n, k, al, pa, lda, strideA, pb, ldb, strideB, be, pc, ldc,
                        strideC, count);
            }
            check(dtype == DType.F32 ? (count == 1 ? "cublasSgemm" : "cublasSgemmStridedBatched")
                    : (count == 1 ? "cublasDgemm" : "cublasDgemmStridedBatched"), status);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment scalar(Arena arena, DType dtype, double v) {
        return dtype == DType.F32 ? arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) v)
                : arena.allocateFrom(ValueLayout.JAVA_DOUBLE, v);
    }
}
