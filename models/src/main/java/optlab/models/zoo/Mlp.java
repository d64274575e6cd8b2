package optlab.models.zoo;

import java.util.ArrayList;
import java.util.List;
import optlab.models.Module;
import optlab.models.layers.Activation;
import optlab.models.layers.Dropout;
import optlab.models.layers.Linear;
import optlab.models.layers.Sequential;

/**
 * Multilayer perceptron as an nn.Sequential: Linear, act, Linear, act, ..., Linear. For sizes
 * [784, 4000, 10] the keys are 0.weight [4000, 784], 0.bias, 2.weight [10, 4000], 2.bias (activations
 * take the odd indices, as in PyTorch). The input must be flat [N, sizes[0]].
 */
public final class Mlp {
    private Mlp() {
    }

    /** sizes = input, hidden..., output (at least two); every hidden layer followed by {@code activation}. */
    public static Sequential of(int[] sizes, String activation, boolean bias) {
        return of(sizes, activation, bias, 0);
    }

    /**
     * As {@link #of(int[], String, boolean)}, with Dropout(p) after each hidden activation when p &gt; 0
     * (which shifts the Sequential indices, as it would in PyTorch: 0.weight, 3.weight, ...).
     */
    public static Sequential of(int[] sizes, String activation, boolean bias, double dropout) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp: needs at least input and output sizes, got " + sizes.length + " size(s)");
        }
        Activation.byName(activation); // a bad name fails even when there is no hidden layer
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("Mlp: dropout must be in [0, 1), got " + dropout);
        }
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Linear(sizes[i], sizes[i + 1], bias));
            if (i + 2 < sizes.length) {
                layers.add(Activation.byName(activation));
                if (dropout > 0) {
                    layers.add(new Dropout(dropout));
                }
            }
        }
        return new Sequential(layers);
    }

    public static Sequential of(int... sizes) {
        return of(sizes, "relu", true);
    }
}
