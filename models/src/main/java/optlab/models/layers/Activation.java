package optlab.models.layers;

import java.util.Arrays;
import java.util.Locale;
import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * An elementwise nonlinearity without parameters: ReLU, GELU (exact erf form, PyTorch's default), Tanh or Sigmoid
 * (the logistic 1/(1 + e^−x), the dot-product baseline of the distance-network paper).
 */
public final class Activation extends Module {
    /** The function applied. */
    public enum Kind {
        RELU, GELU, TANH, SIGMOID
    }

    private final Kind kind;

    public Activation(Kind kind) {
        this.kind = java.util.Objects.requireNonNull(kind, "Activation kind");
    }

    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    public static Activation gelu() {
        return new Activation(Kind.GELU);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID);
    }

    /** By name, case-insensitive: relu, gelu, tanh, sigmoid. */
    public static Activation byName(String name) {
        for (Kind k : Kind.values()) {
            if (k.name().equalsIgnoreCase(name)) {
                return new Activation(k);
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "' (known: "
                + Arrays.stream(Kind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList() + ")");
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        return switch (kind) {
            case RELU -> g.relu(x);
            case GELU -> g.gelu(x);
            case TANH -> g.tanh(x);
            case SIGMOID -> g.sigmoid(x);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case RELU -> "ReLU()";
            case GELU -> "GELU()";
            case TANH -> "Tanh()";
            case SIGMOID -> "Sigmoid()";
        };
    }
}
