package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/** Bad hyperparameters fail at construction with torch's messages; specs parse, print and round-trip. */
class SpecAndValidationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            sgd:lr=-1                                  | Invalid learning rate: -1
            sgd:lr=NaN                                 | Invalid learning rate: NaN
            sgd:momentum=-0.5                          | Invalid momentum value: -0.5
            sgd:weight_decay=-1e-4                     | Invalid weight_decay value: -1.0E-4
            sgd:nesterov=true                          | Nesterov momentum requires a momentum and zero dampening
            sgd:momentum=0.9,dampening=0.1,nesterov=true | Nesterov momentum requires a momentum and zero dampening
            adagrad:lr=-0.1                            | Invalid learning rate: -0.1
            adagrad:lr_decay=-1                        | Invalid lr_decay value: -1
            adagrad:weight_decay=-1                    | Invalid weight_decay value: -1
            adagrad:initial_accumulator_value=-1       | Invalid initial_accumulator_value value: -1
            adagrad:eps=-1                             | Invalid epsilon value: -1
            rmsprop:lr=-1                              | Invalid learning rate: -1
            rmsprop:alpha=-0.1                         | Invalid alpha value: -0.1
            rmsprop:eps=-1                             | Invalid epsilon value: -1
            rmsprop:momentum=-1                        | Invalid momentum value: -1
            rmsprop:weight_decay=-1                    | Invalid weight_decay value: -1
            adam:lr=-1                                 | Invalid learning rate: -1
            adam:eps=-1                                | Invalid epsilon value: -1
            adam:betas=(1.0,0.999)                     | Invalid beta parameter at index 0: 1
            adam:betas=(-0.1,0.999)                    | Invalid beta parameter at index 0: -0.1
            adam:betas=(0.9,1.5)                       | Invalid beta parameter at index 1: 1.5
            adam:weight_decay=-1                       | Invalid weight_decay value: -1
            adamw:lr=-1                                | Invalid learning rate: -1
            adamw:betas=(0.9,1)                        | Invalid beta parameter at index 1: 1
            adamw:eps=-1e-8                            | Invalid epsilon value: -1.0E-8
            adamw:weight_decay=-0.01                   | Invalid weight_decay value: -0.01
            rmsprop-kurbiel:lr=-1                      | Invalid learning rate: -1
            rmsprop-kurbiel:rho=1.5                    | Invalid rho value: 1.5 (must be in [0, 1])
            rmsprop-kurbiel:momentum=1                 | Invalid momentum value: 1 (must be in [0, 1))
            rmsprop-kurbiel:eps=-1                     | Invalid epsilon value: -1
            rmsprop-kurbiel:weight_decay=-1            | Invalid weight_decay value: -1
            """)
    void rejectsBadHyperparameters(String spec, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse(spec));
        assertEquals(message, e.getMessage());
    }

    @Test
    void constructorsValidateToo() {
        assertEquals("Invalid learning rate: -1",
                assertThrows(IllegalArgumentException.class, () -> new SGD(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(1e-3, 0.9, 0.999, 1e-8, 0, false, false).withLr(-1));
    }

    @Test
    void defaultsAreTorchs() {
        assertEquals(new SGD(1e-3, 0, 0, 0, false, false), Optimizers.parse("sgd"));
        assertEquals(new Adagrad(1e-2, 0, 0, 0, 1e-10, false), Optimizers.parse("adagrad"));
        assertEquals(new RMSprop(1e-2, 0.99, 1e-8, 0, 0, false, false), Optimizers.parse("rmsprop"));
        assertEquals(new Adam(1e-3, 0.9, 0.999, 1e-8, 0, false, false), Optimizers.parse("adam"));
        assertEquals(new AdamW(1e-3, 0.9, 0.999, 1e-8, 1e-2, false, false), Optimizers.parse("adamw"));
        assertEquals(new Adam(0.01), Optimizers.parse("adam:lr=0.01"));
        assertEquals(new AdamW(0.01), Optimizers.parse("adamw:lr=0.01"));
        // Not a torch rule: the paper's settings.
        assertEquals(new RmsPropKurbiel(1e-2, 0.7, 0.9, 1e-9, 0), Optimizers.parse("rmsprop-kurbiel"));
        assertEquals(new RmsPropKurbiel(0.05), Optimizers.parse("rmsprop-kurbiel:lr=0.05"));
    }

    @Test
    void parsesTheCliExample() {
        assertEquals(new SGD(0.05, 0.9, 0, 0, true, false), Optimizers.parse("sgd:lr=0.05,momentum=0.9,nesterov=true"));
        assertEquals(new Adam(0.1, 0.8, 0.99, 1e-6, 0, true, false),
                Optimizers.parse(" Adam : lr = 0.1 , betas=( 0.8 , 0.99 ), eps=1e-6, amsgrad=TRUE"));
    }

    static final java.util.List<String> SPECS = OptimConfigs.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("SPECS")
    void specRoundTrips(String spec) {
        Optimizer o = Optimizers.parse(spec);
        assertEquals(o, Optimizers.parse(o.spec()));
        assertTrue(o.spec().startsWith(o.name() + ":"), o.spec());
    }

    @Test
    void unknownKeysAndNamesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("sgd:lr=0.1,momentun=0.9"));
        assertEquals("sgd: unknown key 'momentun'; valid keys are lr, momentum, dampening, weight_decay, nesterov, maximize",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("adamax:lr=0.1"));
        assertEquals("unknown optimizer 'adamax'; valid names are sgd, adagrad, rmsprop, adam, adamw, path-sgd,"
                + " rmsprop-kurbiel, euler, heun, midpoint, ralston, rk4, rk, ab2, ab3, rk23", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("adam:betas=0.9"));
        assertEquals("adam: betas must be a pair like (0.9,0.999), got '0.9'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("sgd:nesterov=yes"));
        assertEquals("sgd: nesterov must be true or false, got 'yes'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("sgd:lr=fast"));
        assertEquals("sgd: lr must be a number, got 'fast'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("sgd:lr"));
        assertEquals("sgd: expected key=value, got 'lr'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("sgd:lr=1,lr=2"));
        assertEquals("sgd: key 'lr' given twice", e.getMessage());
        // An unknown key is reported before a bad value of a known one.
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("sgd:lr=-1,foo=1"));
        assertTrue(e.getMessage().contains("unknown key 'foo'"), e.getMessage());
    }

    @Test
    void stepRejectsMismatchedBlocks() {
        Optimizer adam = new Adam(0.1);
        try (Scope scope = Scope.open(); OptimizerState s = adam.init(scope.zeros(DType.F32, 6))) {
            Tensor p = scope.zeros(DType.F32, 6);
            var e = assertThrows(IllegalArgumentException.class, () -> adam.step(s, p, scope.zeros(DType.F64, 6)));
            assertEquals("adam.step: grads F64[6] do not match params F32[6]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> adam.step(s, scope.zeros(DType.F32, 7),
                    scope.zeros(DType.F32, 7)));
            assertEquals("adam.step: state was made for F32[6], params are F32[7]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, 0.9).step(s, p, p));
            assertEquals("sgd.step: state holds [exp_avg, exp_avg_sq] but this optimizer keeps [momentum_buffer]",
                    e.getMessage());
            Tensor m = scope.zeros(DType.F32, 2, 3);
            e = assertThrows(IllegalArgumentException.class, () -> adam.step(s, m.mT(), p));
            assertTrue(e.getMessage().startsWith("adam.step: params must be a contiguous block"), e.getMessage());
        }
    }
}
