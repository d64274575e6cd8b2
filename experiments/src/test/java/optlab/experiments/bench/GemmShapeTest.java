package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape catalog: the MLP's products in PyTorch layout, selection and its errors. */
class GemmShapeTest {

    @Test
    void catalogHoldsSquaresAndOneMlpTrainingStep() {
        List<String> labels = GemmShape.all().stream().map(GemmShape::label).toList();
        assertEquals(List.of(
                "square 64x64x64 NN", "square 128x128x128 NN", "square 256x256x256 NN", "square 512x512x512 NN",
                "square 1024x1024x1024 NN", "square 2048x2048x2048 NN",
                "mlp fwd L1 100x784x4000 NT", "mlp fwd L2 100x4000x4000 NT", "mlp fwd L3 100x4000x10 NT",
                "mlp dW L1 4000x100x784 TN", "mlp dW L2 4000x100x4000 TN", "mlp dW L3 10x100x4000 TN",
                "mlp dX L3 100x10x4000 NN", "mlp dX L2 100x4000x4000 NN"), labels);
    }

    @Test
    void selectsByIdGroupAndAllInCatalogOrder() {
        assertEquals(List.of("sq64", "mlp-fwd-L2"), GemmShape.select("mlp-fwd-L2, sq64").stream().map(GemmShape::id).toList());
        assertEquals(6, GemmShape.select("square").size());
        assertEquals(8, GemmShape.select("mlp").size());
        assertEquals(14, GemmShape.select("all,square").size());
    }

    @Test
    void unknownShapeNamesItAndTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> GemmShape.select("sq64,sq100"));
        assertTrue(e.getMessage().contains("unknown shape 'sq100'"), e.getMessage());
        assertTrue(e.getMessage().contains("mlp-dX-L2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GemmShape.byId("nope"));
    }

    @Test
    void f64OnlyOnLargerSquares() {
        assertFalse(GemmShape.byId("sq128").timedInF64());
        assertTrue(GemmShape.byId("sq256").timedInF64());
        assertFalse(GemmShape.byId("mlp-fwd-L2").timedInF64());
        assertEquals(2.0 * 100 * 4000 * 4000, GemmShape.byId("mlp-dX-L2").flops());
    }
}
