package optlab.tensor.cuda;

import java.lang.foreign.Arena;

/**
 * The four CUDA libraries, loaded once per process (they stay loaded: unloading CUDA is not supported).
 * Loading fails with a {@link CudaUnavailableException}: one sentence naming what is missing.
 */
record CudaLibrarySet(Cudart cudart, Cublas cublas, Nvrtc nvrtc, Driver driver) {
    private static CudaLibrarySet loaded;

    /** The libraries, loading them on first use; a failed load is retried on the next call. */
    static synchronized CudaLibrarySet load() {
        if (loaded == null) {
            Arena arena = Arena.global();
            Cudart cudart = new Cudart(CudaLibraries.load("cudart", arena));
            Driver driver = new Driver(CudaLibraries.load("cuda", arena));
            loaded = new CudaLibrarySet(cudart, new Cublas(CudaLibraries.load("cublas", arena)),
                    new Nvrtc(CudaLibraries.load("nvrtc", arena)), driver);
        }
        return loaded;
    }
}
