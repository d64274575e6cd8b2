package optlab.models.zoo;

import java.util.ArrayList;
import java.util.List;
import optlab.models.Module;
import optlab.models.layers.Activation;
import optlab.models.layers.Distance;
import optlab.models.layers.DistanceOutput;
import optlab.models.layers.Linear;
import optlab.models.layers.RadialBasis;
import optlab.models.layers.Sequential;

/**
 * Networks of distance layers as nn.Sequentials, after Kurbiel and Khaleghian (arXiv 1708.01911). For
 * sizes [784, 100, 100, 10]:
 * <ul>
 * <li>{@link #distance}: Distance layers only, hidden ones Gaussian (exp(−z/2)), the last emitting the
 *     logits −z/2; keys 0.centroids [100, 784], 0.widths, 1.centroids, …, 2.widths [10, 100].</li>
 * <li>{@link #rbf}: RBF layers (one radius per unit, exp(−z/2)) for the hidden sizes and a Linear
 *     readout, the classic RBF network; keys 0.centres, 0.radii, 1.weight, 1.bias for 784-100-10.</li>
 * <li>{@link #mlpDistance}: a ReLU (or tanh, gelu) MLP body with a Distance output layer (logits −z/2);
 *     keys 0.weight, 0.bias, 2.weight, 2.bias, 4.centroids, 4.widths.</li>
 * </ul>
 */
public final class DistanceNets {
    private DistanceNets() {
    }

    public static Sequential distance(int[] sizes) {
        need("distance", sizes);
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            boolean last = i + 2 == sizes.length;
            layers.add(new Distance(sizes[i], sizes[i + 1], last ? DistanceOutput.LOGITS : DistanceOutput.GAUSSIAN));
        }
        return new Sequential(layers);
    }

    public static Sequential rbf(int[] sizes) {
        need("rbf", sizes);
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 2 < sizes.length; i++) {
            layers.add(new RadialBasis(sizes[i], sizes[i + 1], DistanceOutput.GAUSSIAN));
        }
        layers.add(new Linear(sizes[sizes.length - 2], sizes[sizes.length - 1]));
        return new Sequential(layers);
    }

    public static Sequential mlpDistance(int[] sizes, String activation, boolean bias) {
        need("mlp-distance", sizes);
        Activation.byName(activation); // a bad name fails even when there is no hidden layer
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 2 < sizes.length; i++) {
            layers.add(new Linear(sizes[i], sizes[i + 1], bias));
            layers.add(Activation.byName(activation));
        }
        layers.add(new Distance(sizes[sizes.length - 2], sizes[sizes.length - 1], DistanceOutput.LOGITS));
        return new Sequential(layers);
    }

    private static void need(String family, int[] sizes) {
        if (sizes.length < (family.equals("distance") ? 2 : 3)) {
            throw new IllegalArgumentException(family + ": needs input, " + (family.equals("distance") ? "" : "hidden, ")
                    + "and output sizes, got " + sizes.length + " size(s)");
        }
    }
}
