package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every per-element rule stepped on the CUDA backend (through tensor-vector's gcc-built stand-in, which runs the
 * fused_update kernel of kernels.cu) against the same rule on the CPU: parameters and saved state bit for bit, as the
 * kernel follows the host kernels' IEEE operations. Parameters, gradients and state live on the device; the state is
 * saved from there.
 */
class CudaUpdateTest extends StandInBackends {



    static List<Object[]> cases() {
        List<String> specs = List.of("sgd:lr=0.1", "sgd:lr=0.05,momentum=0.9,dampening=0.1,weight_decay=0.01",
                "sgd:lr=0.05,momentum=0.9,nesterov=true,maximize=true", "adam:lr=0.01", "adam:lr=0.01,amsgrad=true,weight_decay=0.1",
                "adamw:lr=0.01,weight_decay=0.05", "rmsprop:lr=0.01,momentum=0.5,centered=true", "rmsprop:lr=0.01",
                "adagrad:lr=0.1,lr_decay=0.01,initial_accumulator_value=0.1", "rmsprop-kurbiel:lr=0.01",
                "adamw:lr=1e-2,weight_decay=0.05;no_decay=bias;layers.0.*:lr=0.05");
        List<Object[]> out = new ArrayList<>();
        for (DType d : DType.values()) {
            for (String s : specs) {
                out.add(new Object[] {d, s});
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void stepsOnTheDeviceAsOnTheCpu(DType dtype, String spec) throws IOException {
        Optimizer opt = Optimizers.parse(spec);
        List<ParamRange> ranges = List.of(new ParamRange("layers.0.weight", "weight", 0, 777),
                new ParamRange("layers.0.bias", "bias", 777, 13), new ParamRange("head.weight", "weight", 790, 241));
        int n = 1031; // odd, prime: no whole tile, no whole vector
        try (Scope scope = Scope.open(); Scope device = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(7);
            Tensor p = scope.randn(dtype, rng, n);
            Tensor[] grads = new Tensor[4];
            for (int k = 0; k < grads.length; k++) {
                grads[k] = scope.randn(dtype, rng, n);
            }
            Tensor pDev = cuda.place(p, device);
            Tensor gDev = cuda.empty(device, dtype, n);
            Tensor pCpu = scope.copyOf(p);
            try (OptimizerState sCpu = opt.init(ParamSpace.of(pCpu, ranges)).runOn(cpu);
                 OptimizerState sDev = opt.init(ParamSpace.of(pDev, ranges)).runOn(cuda)) {
                for (String b : sDev.names()) {
                    assertTrue(sDev.buffer(b).onDevice(), b + " lives on the device");
                }
                for (int k = 0; k < grads.length; k++) {
                    opt.step(sCpu, pCpu, grads[k], 0.5 + k);
                    cuda.copy(grads[k], gDev);
                    opt.step(sDev, pDev, gDev, 0.5 + k);
                }
                Tensor back = cuda.toHost(pDev, scope);
                for (int i = 0; i < n; i++) {
                    assertEquals(Double.doubleToRawLongBits(pCpu.getFlat(i)), Double.doubleToRawLongBits(back.getFlat(i)),
                            spec + " " + dtype + ": p[" + i + "] " + pCpu.getFlat(i) + " vs " + back.getFlat(i));
                }
                assertArrayEquals(saved(sCpu), saved(sDev), spec + ": the saved state");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aHostOperandBesideDeviceParametersIsRefused(DType dtype, String spec) {
        assumeTrue(spec.startsWith("adam:lr=0.01,amsgrad"), "one rule is enough");
        try (Scope scope = Scope.open(); Scope device = Scope.open()) {
            Tensor p = cuda.place(scope.zeros(dtype, 10), device);
            Optimizer opt = Optimizers.parse("adam:lr=0.01");
            try (OptimizerState s = opt.init(p).runOn(cuda)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> opt.step(s, p, scope.zeros(dtype, 10)));
                assertTrue(e.getMessage().contains("must be a contiguous device tensor"), e.getMessage());
            }
        }
    }

    /** Path-SGD on a dense chain steps on the device from the backend's ops, to the dtype's precision of the host's. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(DType.class)
    void pathSgdOnADenseChainStepsOnTheDeviceAsOnTheCpu(DType dtype) {
        DensePaths net = new DensePaths(445, List.of(new DensePaths.Layer(0, 17, 13, 221),
                new DensePaths.Layer(238, 9, 17, 391, 0.5), new DensePaths.Layer(400, 5, 9, -1)));
        for (double pNorm : new double[] {2, 1, 3}) {
            PathSGD opt = new PathSGD(0.05, pNorm);
            try (Scope host = Scope.open(); Scope device = Scope.open()) {
                SplittableRandom rng = new SplittableRandom(3);
                Tensor p = host.randn(dtype, rng, 445), pDev = cuda.place(p, device), g = cuda.empty(device, dtype, 445);
                p.set(0, 5); // a weight of 0 and one whose input has no path still step as on the host
                cuda.copy(p, pDev);
                try (OptimizerState sHost = opt.init(p, net).runOn(cpu); OptimizerState sDev = opt.init(pDev, net).runOn(cuda)) {
                    for (int k = 0; k < 3; k++) {
                        Tensor grads = host.randn(dtype, rng, 445);
                        opt.step(sHost, p, grads, 0.05);
                        cuda.copy(grads, g);
                        opt.step(sDev, pDev, g, 0.05);
                    }
                    Tensor back = cuda.toHost(pDev, host);
                    double tol = dtype == DType.F32 ? 2e-5 : 1e-12;
                    for (int i = 0; i < 445; i++) {
                        assertEquals(p.getFlat(i), back.getFlat(i), tol * (1 + Math.abs(p.getFlat(i))),
                                "p=" + pNorm + " " + dtype + " element " + i);
                    }
                }
            }
        }
    }

    /**
     * Path-SGD on a network that is not a dense chain (its κ is a host computation) refuses device tensors naming the
     * rule; the integrators and clipping run there (CudaFlowTest).
     */
    @org.junit.jupiter.api.Test
    void hostOnlyRulesRefuseDeviceTensorsNamingTheRule() {
        PathStructure notDense = new PathStructure() {
            @Override
            public double kappa(Tensor params, double p, Tensor kappa) {
                throw new AssertionError("κ must not be computed on device tensors");
            }

            @Override
            public double pathNorm(Tensor params, double p) {
                throw new AssertionError("no path norm here");
            }
        };
        try (Scope device = Scope.open()) {
            Tensor p = cuda.empty(device, DType.F32, 10), g = cuda.empty(device, DType.F32, 10);
            PathSGD opt = new PathSGD(0.1, 2);
            try (OptimizerState s = opt.init(p, notDense).runOn(cuda)) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> opt.step(s, p, g, 0.1));
                assertTrue(e.getMessage().startsWith("path-sgd on a network that is not a dense chain runs on the host"
                        + " only"), e.getMessage());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theGpuSuitesUpdateCheckPasses() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, UpdateCheck.run(cuda, new java.io.PrintStream(out)), out.toString());
    }

    private static byte[] saved(OptimizerState s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.save(out);
        return out.toByteArray();
    }

}
