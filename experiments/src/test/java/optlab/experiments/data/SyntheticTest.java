package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Synthetic tasks: determinism by seed, datasets = stream prefixes, and the distributions they claim. */
class SyntheticTest {
    static final Synthetic MIXTURE = new GaussianMixture(4, 17, 3.0, 0.5, 11);
    static final TeacherStudent TEACHER = new TeacherStudent(33, 8, TeacherStudent.Activation.TANH, 0.0, 5);

    @Test
    void sameSeedSameSamplesAndDatasetsArePrefixesOfStreams() {
        for (Synthetic task : new Synthetic[] {MIXTURE, TEACHER}) {
            try (Scope s = Scope.open()) {
                Dataset a = task.dataset(50, DType.F64, 3, s), b = task.dataset(50, DType.F64, 3, s);
                Dataset c = task.dataset(50, DType.F64, 4, s);
                assertArrayEquals(a.features().toDoubleArray(), b.features().toDoubleArray(), 0.0, task.describe());
                assertArrayEquals(a.targets().toDoubleArray(), b.targets().toDoubleArray(), 0.0);
                assertFalse(Arrays.equals(a.features().toDoubleArray(), c.features().toDoubleArray()), "seed matters");

                DataStream stream = task.stream(3);
                int d = task.sampleShape()[0];
                int[] ys = task.targetShape().length == 0 ? new int[] {20} : new int[] {20, 1};
                Tensor x = s.empty(DType.F64, 20, d), y = s.empty(DType.F64, ys);
                double[] fromStream = new double[0], targets = new double[0];
                for (int k = 0; k < 3; k++) { // 60 samples, batches of 20
                    stream.next(x, y);
                    fromStream = concat(fromStream, x.toDoubleArray());
                    targets = concat(targets, y.toDoubleArray());
                }
                assertArrayEquals(a.features().toDoubleArray(), Arrays.copyOf(fromStream, 50 * d), 0.0);
                assertArrayEquals(a.targets().toDoubleArray(), Arrays.copyOf(targets, 50), 0.0);
                assertFalse(Arrays.equals(Arrays.copyOf(fromStream, 20 * d),
                        Arrays.copyOfRange(fromStream, 20 * d, 40 * d)), "the stream moves on");
            }
        }
    }

    @Test
    void f32DataIsTheF64DataRounded() {
        try (Scope s = Scope.open()) {
            double[] f64 = MIXTURE.dataset(30, DType.F64, 1, s).features().toDoubleArray();
            double[] f32 = MIXTURE.dataset(30, DType.F32, 1, s).features().toDoubleArray();
            for (int i = 0; i < f64.length; i++) {
                assertEquals((float) f64[i], f32[i], 0.0);
            }
        }
    }

    @Test
    void mixtureSamplesClusterAroundTheirClassMeans() {
        GaussianMixture g = new GaussianMixture(3, 5, 4.0, 0.1, 2);
        try (Scope s = Scope.open()) {
            Dataset d = g.dataset(3000, DType.F64, 8, s);
            double[][] sum = new double[3][5];
            int[] count = new int[3];
            for (int i = 0; i < d.size(); i++) {
                int k = (int) d.targets().get(i);
                count[k]++;
                for (int j = 0; j < 5; j++) {
                    sum[k][j] += d.features().get(i, j);
                }
            }
            for (int k = 0; k < 3; k++) {
                assertTrue(count[k] > 900 && count[k] < 1100, "classes are uniform: " + Arrays.toString(count));
                for (int j = 0; j < 5; j++) {
                    // standard error of a 1000-sample mean of N(., 0.1²) is 0.003
                    assertEquals(g.mean(k)[j], sum[k][j] / count[k], 0.02, "class " + k + " coordinate " + j);
                }
            }
            assertFalse(Arrays.equals(g.mean(0), new GaussianMixture(3, 5, 4.0, 0.1, 3).mean(0)), "task seed matters");
        }
    }

    @Test
    void teacherTargetsAreTheTeacherOfTheInputs() {
        try (Scope s = Scope.open()) {
            Dataset d = TEACHER.dataset(40, DType.F64, 6, s);
            assertEquals(0, d.numClasses());
            assertArrayEquals(new int[] {40, 1}, d.targets().shape());
            double[] row = new double[33];
            double var = 0;
            for (int i = 0; i < 40; i++) {
                for (int j = 0; j < 33; j++) {
                    row[j] = d.features().get(i, j);
                }
                assertEquals(TEACHER.teacher(row), d.targets().get(i, 0), 0.0);
                var += row[0] * row[0];
            }
            assertTrue(var / 40 > 0.5 && var / 40 < 1.6, "inputs are standard normal");
            // No biases: a ReLU teacher is positively homogeneous, f(c·x) = c·f(x), and a tanh teacher is odd.
            TeacherStudent relu = new TeacherStudent(4, 3, TeacherStudent.Activation.RELU, 0.0, 1);
            double[] x = {0.3, -1.2, 0.7, 2.0}, x3 = {0.9, -3.6, 2.1, 6.0}, minus = {-0.3, 1.2, -0.7, -2.0};
            assertTrue(Math.abs(relu.teacher(x)) > 1e-6);
            assertEquals(3 * relu.teacher(x), relu.teacher(x3), 1e-12);
            assertTrue(Math.abs(relu.teacher(x) + relu.teacher(minus)) > 1e-6, "ReLU is not odd");
            TeacherStudent tanh = new TeacherStudent(4, 3, TeacherStudent.Activation.TANH, 0.0, 1);
            assertEquals(-tanh.teacher(x), tanh.teacher(minus), 1e-15);
            assertTrue(Math.abs(3 * tanh.teacher(x) - tanh.teacher(x3)) > 1e-3, "tanh saturates");
            // noise: the same inputs, targets shifted by σ·ε
            TeacherStudent noisy = new TeacherStudent(33, 8, TeacherStudent.Activation.TANH, 0.1, 5);
            Dataset n = noisy.dataset(40, DType.F64, 6, s);
            double diff = 0;
            for (int i = 0; i < 40; i++) {
                diff += Math.abs(n.targets().get(i, 0) - d.targets().get(i, 0));
            }
            assertTrue(diff > 0 && diff / 40 < 0.3, "noise σ = 0.1 changes targets a little: " + diff / 40);
        }
    }

    @Test
    void badParametersAndBuffersFail() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianMixture(1, 3, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new GaussianMixture(3, 3, 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TeacherStudent(0, 3, TeacherStudent.Activation.RELU, 0, 0));
        try (Scope s = Scope.open()) {
            DataStream stream = MIXTURE.stream(1);
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> stream.next(s.empty(DType.F32, 4, 16), s.empty(DType.F32, 4))).getMessage();
            assertTrue(msg.contains("[4, 17]") && msg.contains("F32[4, 16]"), msg);
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
