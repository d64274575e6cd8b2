package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import optlab.tensor.DType;
import optlab.tensor.Labels;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A data set made in code refuses labels outside its classes when it is made, naming itself. */
class DatasetTest {
    @Test
    void aLabelOutsideTheClassesFailsWhenTheDatasetIsMade() {
        try (Scope s = Scope.open()) {
            Tensor x = s.empty(DType.F32, 3, 2);
            Tensor good = Labels.of(s, DType.F32, 7, 0, 6, 3);
            assertEquals(3, new Dataset("toy", x, good, 7).size());
            Tensor bad = s.of(new float[] {0, 7, 3}, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dataset("toy", x, bad, 7));
            assertEquals("dataset toy: label[1] = 7.0 is not a class index in [0, 7)", e.getMessage());
        }
    }
}
