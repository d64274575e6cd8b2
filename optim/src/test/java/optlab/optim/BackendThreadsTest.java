package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import optlab.optim.DensePaths.Layer;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.Test;

/**
 * Optimizer steps split their work over the thread team of the backend they were told to run on
 * ({@link OptimizerState#runOn}), not the common ForkJoinPool: every update range is recorded with the
 * thread that ran it. A one-thread backend runs all of them on the caller; any team gives the same bits.
 */
class BackendThreadsTest {
    /** Above the kernels' fan-out threshold (2^17), so the block is split into several ranges. */
    static final int N = (1 << 18) + 77;
    /** A chain whose middle layer (512·300 weights) is split into row groups. */
    static final List<Layer> CHAIN = List.of(new Layer(0, 300, 512, 153_600), new Layer(153_900, 3, 300, -1));
    static final int CHAIN_NUMEL = 153_900 + 900;

    /** A backend that delegates to {@code inner} and records which threads run each forEachTask task. */
    static final class Recorder {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger tasks = new AtomicInteger();
        final Backend backend;

        Recorder(Backend inner) {
            backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, m, args) -> {
                        if (m.getName().equals("forEachTask")) {
                            IntConsumer body = (IntConsumer) args[1];
                            inner.forEachTask((Integer) args[0], i -> {
                                threads.add(Thread.currentThread());
                                tasks.incrementAndGet();
                                body.accept(i);
                            });
                            return null;
                        }
                        try {
                            return m.invoke(inner, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @Test
    void oneThreadBackendRunsEveryRangeOnTheCaller() {
        for (Optimizer opt : List.of(Optimizers.parse("sgd:lr=0.1,momentum=0.9"), Optimizers.parse("adamw:lr=0.01"))) {
            try (Backend cpu = Backends.cpu(1); Scope scope = Scope.open()) {
                Recorder r = new Recorder(cpu);
                Tensor p = block(scope, DType.F32, 1, N), g = block(scope, DType.F32, 2, N);
                try (OptimizerState s = opt.init(p).runOn(r.backend)) {
                    opt.step(s, p, g);
                    opt.step(s, p, g);
                }
                assertEquals(Set.of(Thread.currentThread()), r.threads, opt.spec());
                assertTrue(r.tasks.get() >= 4, opt.spec() + ": the block was split into ranges (" + r.tasks + ")");
            }
        }
        try (Backend cpu = Backends.cpu(1); Scope scope = Scope.open()) {
            Recorder r = new Recorder(cpu);
            PathSGD opt = new PathSGD(1e-3);
            Tensor p = block(scope, DType.F64, 3, CHAIN_NUMEL), g = block(scope, DType.F64, 4, CHAIN_NUMEL);
            try (OptimizerState s = opt.init(p, new DensePaths(CHAIN_NUMEL, CHAIN)).runOn(r.backend)) {
                opt.step(s, p, g);
            }
            assertEquals(Set.of(Thread.currentThread()), r.threads);
            assertTrue(r.tasks.get() >= 2, "path-sgd: row groups ran as tasks (" + r.tasks + ")");
        }
    }

    @Test
    void sameBitsOnAnyTeam() {
        for (String spec : List.of("sgd:lr=0.1,momentum=0.9,nesterov=true", "adam:lr=0.01,amsgrad=true", "rmsprop:lr=0.01,centered=true")) {
            for (DType dtype : DType.values()) {
                Optimizer opt = Optimizers.parse(spec);
                double[] caller = run(opt, dtype, null), one = run(opt, dtype, 1), three = run(opt, dtype, 3);
                assertArrayEquals(caller, one, spec + " " + dtype + " cpu(1)");
                assertArrayEquals(caller, three, spec + " " + dtype + " cpu(3)");
            }
        }
        for (DType dtype : DType.values()) {
            double[] caller = runPaths(dtype, null), three = runPaths(dtype, 3);
            assertArrayEquals(caller, three, "path-sgd " + dtype);
        }
    }

    @Test
    void workersOfALargerTeamAreTheBackendsOwn() {
        try (Backend cpu = Backends.cpu(3); Scope scope = Scope.open()) {
            Recorder r = new Recorder(cpu);
            Optimizer opt = Optimizers.parse("adam:lr=0.01");
            Tensor p = block(scope, DType.F64, 5, N), g = block(scope, DType.F64, 6, N);
            try (OptimizerState s = opt.init(p).runOn(r.backend)) {
                for (int k = 0; k < 5; k++) {
                    opt.step(s, p, g);
                }
            }
            for (Thread t : r.threads) {
                assertTrue(t == Thread.currentThread() || t.getName().equals("optlab-cpu"), t.getName());
            }
        }
    }

    /** Parameters then state buffers after three steps, as doubles; team null = no runOn (the calling thread). */
    private static double[] run(Optimizer opt, DType dtype, Integer threads) {
        try (Backend cpu = Backends.cpu(threads == null ? 1 : threads); Scope scope = Scope.open()) {
            Tensor p = block(scope, dtype, 7, N), g = block(scope, dtype, 8, N);
            try (OptimizerState s = opt.init(p)) {
                if (threads != null) {
                    s.runOn(cpu);
                }
                for (int k = 0; k < 3; k++) {
                    opt.step(s, p, g);
                }
                double[] out = p.toDoubleArray();
                for (String name : s.names()) {
                    double[] b = s.buffer(name).toDoubleArray();
                    double[] both = java.util.Arrays.copyOf(out, out.length + b.length);
                    System.arraycopy(b, 0, both, out.length, b.length);
                    out = both;
                }
                return out;
            }
        }
    }

    private static double[] runPaths(DType dtype, Integer threads) {
        try (Backend cpu = Backends.cpu(threads == null ? 1 : threads); Scope scope = Scope.open()) {
            PathSGD opt = new PathSGD(1e-3, 1.5);
            Tensor p = block(scope, dtype, 9, CHAIN_NUMEL), g = block(scope, dtype, 10, CHAIN_NUMEL);
            try (OptimizerState s = opt.init(p, new DensePaths(CHAIN_NUMEL, CHAIN))) {
                if (threads != null) {
                    s.runOn(cpu);
                }
                opt.step(s, p, g);
                opt.step(s, p, g);
            }
            return p.toDoubleArray();
        }
    }

    private static Tensor block(Scope scope, DType dtype, long seed, int n) {
        Tensor t = scope.zeros(dtype, n);
        OptimConfigs.fill(t, OptimConfigs.uniform(seed, n, -1, 1));
        return t;
    }
}
