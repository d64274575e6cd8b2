package optlab.models.layers;

import java.util.Arrays;
import optlab.tensor.autodiff.Variable;

/** Input checks shared by the layers: messages name the layer, what it expects and the shape it got. */
final class Shapes {
    private Shapes() {
    }

    static void rank(Object layer, Variable x, int... ranks) {
        int r = x.value().rank();
        for (int ok : ranks) {
            if (r == ok) {
                return;
            }
        }
        throw new IllegalArgumentException(layer + ": expected an input of rank " + join(ranks) + ", got shape "
                + Arrays.toString(x.shape()));
    }

    static void dim(Object layer, Variable x, int axis, int expected, String what) {
        if (x.value().dim(axis) != expected) {
            throw new IllegalArgumentException(layer + ": input " + Arrays.toString(x.shape()) + " has " + what + " "
                    + x.value().dim(axis) + ", expected " + expected);
        }
    }

    static void positive(String layer, String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(layer + ": " + what + " must be positive, got " + v);
        }
    }

    private static String join(int[] ranks) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ranks.length; i++) {
            b.append(i == 0 ? "" : i == ranks.length - 1 ? " or " : ", ").append(ranks[i]);
        }
        return b.toString();
    }
}
