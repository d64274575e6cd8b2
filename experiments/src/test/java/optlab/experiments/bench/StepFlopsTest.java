package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalDouble;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
import optlab.models.zoo.Zoo;
import optlab.tensor.DType;
import org.junit.jupiter.api.Test;

/** A step's FLOP count is 6·batch·Σ fan_in·fan_out of the MLP's layers (8 with a frozen centering copy). */
class StepFlopsTest {
    @Test
    void mlpCountsThreeGemmsPerLayerFromTheLayerSizes() {
        try (Model m = Zoo.build("mlp:784-100-30-10", DType.F32, InitScheme.PYTORCH, 0)) {
            double sum = 784 * 100 + 100 * 30 + 30 * 10;
            assertEquals(6.0 * 64 * sum, StepFlops.of("mlp:784-100-30-10", m, 64, false).getAsDouble());
            assertEquals(8.0 * 64 * sum, StepFlops.of("mlp:784-100-30-10", m, 64, true).getAsDouble());
        }
    }

    @Test
    void muPModelOfTheOnlineBenchmarkCountsItsTrainableLayersOnly() {
        Parameterization p = Parameterization.parse("mup:gamma0=1");
        try (Model m = p.build("mlp:20-16-16-4", DType.F32, InitScheme.PYTORCH, 0)) {
            assertEquals(8.0 * 5 * (20 * 16 + 16 * 16 + 16 * 4), StepFlops.of("mlp:20-16-16-4", m, 5, true).getAsDouble());
        }
    }

    @Test
    void otherFamiliesHaveNoCount() {
        try (Model m = Zoo.build("cnn:in=1x8x8,conv=4,fc=8", DType.F32, InitScheme.PYTORCH, 0)) {
            assertTrue(StepFlops.of("cnn:in=1x8x8,conv=4,fc=8", m, 4, false).isEmpty());
        }
    }

    @Test
    void rateIsFlopsOverSecondsAndItsShareOfThePeak() {
        FmaPeak.Table peak = new FmaPeak.Table(Map.of("F32 2", 8.0));
        assertEquals("4.00 GFLOP/s, 50% of the F32 2-thread FMA peak",
                StepFlops.rate(OptionalDouble.of(2e9), 0.5, peak, "F32", 2));
        assertEquals("", StepFlops.rate(OptionalDouble.empty(), 0.5, peak, "F32", 2));
    }
}
