package optlab.experiments.online;

/**
 * The depth L of the γ^(2/L) scaling laws for a zoo model spec: its number of weight layers along the path from
 * input to output. An MLP counts its weight matrices; the CNN its convolutions, hidden FC layers and readout (the
 * paper's CNN: L = 4). ResNets and ViTs have no single depth in this sense (skips, attention): 0.
 */
public final class ScalingDepth {
    private ScalingDepth() {
    }

    public static int of(String spec) {
        String s = spec.trim();
        if (s.startsWith("mlp:")) {
            return s.substring(4).split(",")[0].split("-").length - 1;
        }
        if (s.startsWith("cnn:")) {
            int layers = 1; // the readout
            for (String part : s.substring(4).split(",")) {
                String p = part.trim();
                if (p.startsWith("conv=") || p.startsWith("fc=")) {
                    layers += p.substring(p.indexOf('=') + 1).split("-").length;
                }
            }
            return layers;
        }
        return 0;
    }
}
