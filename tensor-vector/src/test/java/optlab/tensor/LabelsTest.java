package optlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.Test;

/** Labels: integers in, integers out, every index outside [0, classes) refused with its position and value. */
class LabelsTest {
    @Test
    void integersRoundTripInBothDtypes() {
        int[] y = {0, 3, 1, 2, 3};
        for (DType d : DType.values()) {
            try (Scope s = Scope.open()) {
                Tensor t = Labels.of(s, d, 4, y);
                assertEquals(d, t.dtype());
                assertArrayEquals(new int[] {5}, t.shape());
                assertArrayEquals(y, Labels.toArray(t, 4));
                assertArrayEquals(y, Labels.toArray(Labels.of(s, d, 4, new long[] {0, 3, 1, 2, 3}), 4));
            }
        }
    }

    @Test
    void theLargestF32IndexStaysExact() {
        int last = Labels.MAX_F32_CLASSES - 1;
        try (Scope s = Scope.open()) {
            assertArrayEquals(new int[] {last, 0}, Labels.toArray(Labels.of(s, DType.F32, Labels.MAX_F32_CLASSES, last, 0),
                    Labels.MAX_F32_CLASSES));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Labels.of(s, DType.F32, Labels.MAX_F32_CLASSES + 1, 0));
            assertEquals("labels: 16777217 classes: need 1 to 16777216 in F32 (exact integers)", e.getMessage());
        }
    }

    @Test
    void anIndexOutsideTheClassesIsRefusedWithItsPositionAndValue() {
        try (Scope s = Scope.open()) {
            IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                    () -> Labels.of(s, DType.F32, 10, 1, 2, 10));
            assertEquals("labels: label[2] = 10 is outside [0, 10)", high.getMessage());
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> Labels.of(s, DType.F64, 3, new long[] {0, -1}));
            assertEquals("labels: label[1] = -1 is outside [0, 3)", negative.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Labels.of(s, DType.F32, 0, new int[0]));
        }
    }

    @Test
    void checkNamesTheSourceAndRefusesFractionsAndWrongRanks() {
        try (Scope s = Scope.open()) {
            Tensor fraction = s.of(new float[] {0, 1.5f}, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Labels.check(fraction, 2, "train.idx"));
            assertEquals("train.idx: label[1] = 1.5 is not a class index in [0, 2)", e.getMessage());
            Tensor matrix = s.of(new float[] {0, 1}, 1, 2);
            assertEquals("labels: labels must be a [N] tensor of class indices, got shape [1, 2]",
                    assertThrows(IllegalArgumentException.class, () -> Labels.toArray(matrix, 2)).getMessage());
        }
    }

    @Test
    void crossEntropyReadsLabelsAsTheClassIndices() {
        // Labels.of gives the loss the same numbers as class indices written by hand.
        try (Backend b = Backends.reference(); Scope s = Scope.open()) {
            Tensor logits = s.of(new float[] {2, 0, -1, 0.5f, 0.5f, 3}, 2, 3);
            Tensor g1 = s.empty(DType.F32, 2, 3), g2 = s.empty(DType.F32, 2, 3);
            double a = b.crossEntropy(logits, Labels.of(s, DType.F32, 3, 0, 2), g1);
            double expected = (-Math.log(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-1)))
                    - Math.log(Math.exp(3) / (2 * Math.exp(0.5) + Math.exp(3)))) / 2;
            assertEquals(expected, a, 1e-6);
            assertEquals(a, b.crossEntropy(logits, s.of(new float[] {0, 2}, 2), g2));
        }
    }
}
