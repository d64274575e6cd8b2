package optlab.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import optlab.tensor.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The FFM bindings against the stand-in: memory, copies, streams, events, cuBLAS, NVRTC, the driver, and errors. */
class CudaBindingsTest {
    static CudaLibrarySet libs;

    @BeforeAll
    static void load() {
        CudaStandIn.install();
        libs = CudaLibrarySet.load();
    }

    @Test
    void memoryRoundTripsThroughTheDevice() {
        Cudart rt = libs.cudart();
        long before = CudaStandIn.liveAllocations();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4, 5);
            MemorySegment back = a.allocate(20);
            long d1 = rt.malloc(20), d2 = rt.malloc(20);
            assertEquals(before + 2, CudaStandIn.liveAllocations());
            rt.memcpy(d1, host.address(), 20, Cudart.HOST_TO_DEVICE);
            rt.memcpy(d2, d1, 20, Cudart.DEVICE_TO_DEVICE);
            long stream = rt.streamCreate();
            rt.memsetAsync(d1, 0, 20, stream);
            rt.memcpyAsync(back.address(), d2, 20, Cudart.DEVICE_TO_HOST, stream);
            rt.streamSynchronize(stream);
            rt.streamDestroy(stream);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5}, back.toArray(ValueLayout.JAVA_FLOAT));
            rt.memcpy(back.address(), d1, 20, Cudart.DEVICE_TO_HOST);
            assertArrayEquals(new float[5], back.toArray(ValueLayout.JAVA_FLOAT));
            rt.free(d1);
            rt.free(d2);
        }
        assertEquals(before, CudaStandIn.liveAllocations());
    }

    @Test
    void failuresCarryTheRuntimesOwnErrorString() {
        Cudart rt = libs.cudart();
        CudaException oom = assertThrows(CudaException.class, () -> rt.malloc(1L << 50));
        assertEquals(Cudart.ERROR_MEMORY_ALLOCATION, oom.status());
        assertTrue(oom.getMessage().contains("out of memory") && oom.getMessage().contains("cudaErrorMemoryAllocation"),
                oom.getMessage());

        long p = rt.malloc(8);
        rt.free(p);
        CudaException twice = assertThrows(CudaException.class, () -> rt.free(p));
        assertTrue(twice.getMessage().startsWith("cudaFree failed: invalid argument"), twice.getMessage());

        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(64);
            long d = rt.malloc(16);
            // Past the end of the allocation, and a host pointer where a device pointer belongs.
            assertThrows(CudaException.class, () -> rt.memcpy(d, host.address(), 64, Cudart.HOST_TO_DEVICE));
            assertThrows(CudaException.class, () -> rt.memcpy(host.address(), host.address(), 8, Cudart.DEVICE_TO_HOST));
            rt.free(d);
        }
        long stream = rt.streamCreate();
        rt.streamDestroy(stream);
        CudaException stale = assertThrows(CudaException.class, () -> rt.streamSynchronize(stream));
        assertTrue(stale.getMessage().contains("invalid resource handle"), stale.getMessage());
    }

    @Test
    void eventsMeasureElapsedTime() {
        Cudart rt = libs.cudart();
        long stream = rt.streamCreate(), start = rt.eventCreate(), end = rt.eventCreate();
        rt.eventRecord(start, stream);
        rt.eventRecord(end, stream);
        rt.eventSynchronize(end);
        float ms = rt.eventElapsedMillis(start, end);
        assertTrue(ms >= 0 && ms < 1000, "elapsed " + ms);
        rt.eventDestroy(start);
        rt.eventDestroy(end);
        rt.streamDestroy(stream);
        assertThrows(CudaException.class, () -> rt.eventSynchronize(start));
    }

    @Test
    void cublasGemmIsColumnMajorAndChecksItsArguments() {
        Cudart rt = libs.cudart();
        Cublas blas = libs.cublas();
        long h = blas.create();
        try (Arena a = Arena.ofConfined()) {
            // Column-major A (2×3) = [[1, 3, 5], [2, 4, 6]], B (3×2) = [[1, 0], [0, 1], [1, 1]]: C = [[6, 8], [8, 10]].
            long da = upload(rt, a, 1, 2, 3, 4, 5, 6), db = upload(rt, a, 1, 0, 1, 0, 1, 1), dc = upload(rt, a, 9, 9, 9, 9);
            blas.gemm(h, DType.F64, Cublas.OP_N, Cublas.OP_N, 2, 2, 3, 1, da, 2, 0, db, 3, 0, 0, dc, 2, 0, 1);
            assertArrayEquals(new double[] {6, 8, 8, 10}, download(rt, a, dc, 4));
            // Bad leading dimension: cuBLAS's own status text.
            CudaException bad = assertThrows(CudaException.class,
                    () -> blas.gemm(h, DType.F64, Cublas.OP_N, Cublas.OP_N, 2, 2, 3, 1, da, 1, 0, db, 3, 0, 0, dc, 2, 0, 1));
            assertEquals(7, bad.status());
            assertTrue(bad.getMessage().contains("cublasDgemm failed: an invalid numeric value"), bad.getMessage());
            // A host pointer where device memory belongs fails rather than reading host memory.
            MemorySegment host = a.allocate(64);
            assertThrows(CudaException.class, () -> blas.gemm(h, DType.F64, Cublas.OP_N, Cublas.OP_N, 2, 2, 3, 1,
                    host.address(), 2, 0, db, 3, 0, 0, dc, 2, 0, 1));
            rt.free(da);
            rt.free(db);
            rt.free(dc);
        } finally {
            blas.destroy(h);
        }
        assertThrows(CudaException.class, () -> blas.destroy(h));
    }

    @Test
    void nvrtcReportsTheCompilerLog() {
        CudaException e = assertThrows(CudaException.class, () -> libs.nvrtc().compile(
                "extern \"C\" __global__ void k() {}\n#error kernels need a prelude\n", "bad.cu", List.of("-lineinfo")));
        assertTrue(e.getMessage().contains("NVRTC_ERROR_COMPILATION") && e.getMessage().contains("kernels need a prelude"),
                e.getMessage());
        String ptx = libs.nvrtc().compile(KernelModule.source(), "optlab_kernels.cu", List.of("--gpu-architecture=compute_90"));
        assertTrue(ptx.contains(".version"), ptx);
    }

    @Test
    void driverLoadsModulesAndFindsKernelsByName() {
        Driver drv = libs.driver();
        drv.init();
        CudaException image = assertThrows(CudaException.class, () -> drv.loadModule("not ptx"));
        assertTrue(image.getMessage().contains("device kernel image is invalid"), image.getMessage());
        long module = drv.loadModule(libs.nvrtc().compile(KernelModule.source(), "k.cu", List.of()));
        assertTrue(drv.function(module, "binary_f32") != 0);
        CudaException missing = assertThrows(CudaException.class, () -> drv.function(module, "no_such_kernel"));
        assertTrue(missing.getMessage().contains("named symbol not found"), missing.getMessage());
        drv.unloadModule(module);
    }

    @Test
    void missingLibrariesAreOneSentenceNamingCuda() {
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"),
                CudaLibraries.sonames("cublas"));
        assertEquals(List.of("libcuda.so.1", "libcuda.so"), CudaLibraries.sonames("cuda"));
        String saved = System.getProperty(CudaLibraries.OVERRIDE);
        try {
            System.setProperty(CudaLibraries.OVERRIDE, "/nonexistent/libcudart.so");
            CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                    () -> CudaLibraries.load("cudart", Arena.global()));
            assertTrue(e.getMessage().startsWith("CUDA is not available") && e.getMessage().endsWith("."), e.getMessage());
            assertEquals(1, e.getMessage().split("\\. ").length, "one sentence: " + e.getMessage());
        } finally {
            System.setProperty(CudaLibraries.OVERRIDE, saved);
        }
    }

    private static long upload(Cudart rt, Arena a, double... v) {
        MemorySegment host = a.allocateFrom(ValueLayout.JAVA_DOUBLE, v);
        long d = rt.malloc(host.byteSize());
        rt.memcpy(d, host.address(), host.byteSize(), Cudart.HOST_TO_DEVICE);
        return d;
    }

    private static double[] download(Cudart rt, Arena a, long d, int n) {
        MemorySegment host = a.allocate(8L * n);
        rt.memcpy(host.address(), d, 8L * n, Cudart.DEVICE_TO_HOST);
        return host.toArray(ValueLayout.JAVA_DOUBLE);
    }
}
