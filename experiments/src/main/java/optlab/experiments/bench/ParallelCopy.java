package optlab.experiments.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A plain memory copy split into one cache-line-aligned chunk per thread: what a memory-bound
 * kernel on the same number of threads could reach at best. The calling thread copies a chunk too.
 */
final class ParallelCopy implements AutoCloseable {
    private static final long LINE = 64;

    private final int threads;
    private final ExecutorService workers;

    ParallelCopy(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("ParallelCopy: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "bench-copy");
            t.setDaemon(true);
            return t;
        });
    }

    /** dst[0, n) = src[0, n) for n = src.byteSize(). */
    void copy(MemorySegment src, MemorySegment dst) {
        long n = src.byteSize();
        long chunk = ((n + threads - 1) / threads + LINE - 1) / LINE * LINE;
        if (workers == null || chunk >= n) {
            MemorySegment.copy(src, 0, dst, 0, n);
            return;
        }
        Future<?>[] pending = new Future<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            long from = Math.min(n, t * chunk), len = Math.min(n, from + chunk) - from;
            pending[t - 1] = workers.submit(() -> MemorySegment.copy(src, from, dst, from, len));
        }
        MemorySegment.copy(src, 0, dst, 0, Math.min(n, chunk));
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("copy worker failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
