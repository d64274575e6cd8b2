package optlab.tensor.cuda;

/**
 * One device made ready for work: its primary context current on the opening thread, a stream, a cuBLAS
 * handle bound to it and the compiled kernels. Opening fails with one sentence when CUDA cannot run here.
 */
final class CudaDevice implements AutoCloseable {
    final CudaLibrarySet libs;
    final int ordinal;
    final long stream;
    final long cublas;
    final KernelModule kernels;

    private CudaDevice(CudaLibrarySet libs, int ordinal, long stream, long cublas, KernelModule kernels) {
        this.libs = libs;
        this.ordinal = ordinal;
        this.stream = stream;
        this.cublas = cublas;
        this.kernels = kernels;
    }

    static CudaDevice open(int ordinal) {
        CudaLibrarySet libs = CudaLibrarySet.load();
        int count;
        try {
            count = libs.cudart().deviceCount();
        } catch (CudaException e) {
            throw new CudaUnavailableException("CUDA is not available: " + e.getMessage() + ".");
        }
        if (count <= ordinal) {
            throw new CudaUnavailableException("CUDA is not available: device " + ordinal + " requested, " + count
                    + " present.");
        }
        libs.cudart().setDevice(ordinal);
        libs.driver().init();
        int device = libs.driver().device(ordinal);
        libs.driver().usePrimaryContext(device);
        KernelModule kernels = KernelModule.of(libs, device);
        long stream = libs.cudart().streamCreate();
        long handle = libs.cublas().create();
        libs.cublas().setStream(handle, stream);
        return new CudaDevice(libs, ordinal, stream, handle, kernels);
    }

    /** Makes this device current on the calling thread (the runtime and the driver keep it per thread). */
    void makeCurrent() {
        libs.cudart().setDevice(ordinal);
    }

    void synchronize() {
        libs.cudart().streamSynchronize(stream);
    }

    @Override
    public void close() {
        libs.cublas().destroy(cublas);
        libs.cudart().streamDestroy(stream);
    }
}
