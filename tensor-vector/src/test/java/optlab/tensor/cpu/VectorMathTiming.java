package optlab.tensor.cpu;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import optlab.tensor.backend.UnaryOp;

/**
 * Tuning aid, not a test: the real one-thread exp and softmax kernels of two builds, A (e.g. an older
 * commit's tensor-vector/target/classes, with lanewise(EXP), i.e. SVML under C2) and B (this build's
 * VectorMath), inside ONE JVM: each build is loaded by its own class loader, rounds alternate A and B,
 * and the median B/A time ratio is printed (below 1: B is faster). Cases: exp over 2^20 elements,
 * softmax over [8192, 10] and [2048, 192] rows, F32 and F64, or the cases named KIND:DTYPE:ROWS:COLS.
 * Cases run one after another share the kernels' JIT profiles (a softmax compiled while rows of 10
 * ran may treat the wide-row path as cold and not inline into it), so time one case per JVM to
 * compare steady states.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.VectorMathTiming OLD_CLASSES_DIR ROUNDS [softmax:f64:2048:192 ...]
 * </pre>
 */
public final class VectorMathTiming {
    private VectorMathTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path old = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        URL tests = VectorMathTiming.class.getProtectionDomain().getCodeSource().getLocation();
        URL mine = Backend.class.getProtectionDomain().getCodeSource().getLocation();
        Method a = loader(old.toUri().toURL(), tests), b = loader(mine, tests);
        String[] names = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : new String[] {"exp:f32:1048576:1",
                "exp:f64:1048576:1", "softmax:f32:8192:10", "softmax:f64:8192:10", "softmax:f32:2048:192", "softmax:f64:2048:192"};
        for (String name : names) {
            String[] c = name.split(":");
            for (int w = 0; w < 3; w++) { // warm both builds up (C2) before timing
                a.invoke(null, (Object) c);
                b.invoke(null, (Object) c);
            }
            double[] ratio = new double[rounds];
            double ta = 0, tb = 0;
            for (int r = 0; r < rounds; r++) {
                double x = (double) a.invoke(null, (Object) c), y = (double) b.invoke(null, (Object) c);
                ratio[r] = y / x;
                ta += x;
                tb += y;
            }
            Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "%-7s %s %6s x %-4s A %7.3f ms  B %7.3f ms  median B/A %.3f (min %.3f max %.3f)%n", c[0],
                    c[1], c[2], c[3], ta / rounds, tb / rounds, ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
        }
    }

    private static Method loader(URL classes, URL tests) throws Exception {
        ClassLoader l = new URLClassLoader(new URL[] {classes, tests}, ClassLoader.getPlatformClassLoader());
        return l.loadClass(Case.class.getName()).getMethod("millis", String[].class);
    }

    /** One timed batch with the classes of whichever loader loaded this class. */
    public static final class Case {
        private Case() {
        }

        public static double millis(String[] c) {
            Backend cpu = Backends.cpu(1);
            DType dtype = c[1].equals("f32") ? DType.F32 : DType.F64;
            int rows = Integer.parseInt(c[2]), cols = Integer.parseInt(c[3]);
            try (Scope s = Scope.open()) {
                Tensor x = s.uniform(dtype, new SplittableRandom(1), -8, 8, rows, cols);
                Tensor out = s.zeros(dtype, rows, cols);
                int reps = 20;
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    if (c[0].equals("exp")) {
                        cpu.unary(UnaryOp.EXP, x, out);
                    } else {
                        cpu.softmax(x, 1, out);
                    }
                }
                return (System.nanoTime() - t0) * 1e-6 / reps;
            }
        }
    }
}
