package optlab.experiments.online;

import java.util.List;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.tensor.DType;

/**
 * The model of an online run under its parameterization, its learning rate and its automatic precision.
 * Stand-in until optlab.models.param.Parameterization lands: only "standard" (PyTorch init, lr = eta0, f32).
 */
final class OnlineModel {
    static final List<String> KINDS = List.of("mup", "ntk", "standard");

    private OnlineModel() {
    }

    static Model build(OnlineConfig c, DType dtype) {
        requireStandard(c);
        return Zoo.build(c.model(), dtype, InitScheme.PYTORCH, c.seed());
    }

    static double learningRate(OnlineConfig c) {
        requireStandard(c);
        return c.eta0();
    }

    static DType autoDtype(OnlineConfig c) {
        return DType.F32;
    }

    private static void requireStandard(OnlineConfig c) {
        if (!c.parameterization().equals("standard")) {
            throw new UnsupportedOperationException("parameterization '" + c.parameterization() + "' is not available yet");
        }
    }

    /** The width N that μP scales with: an MLP's first hidden size, a CNN's first conv width, a ResNet's or ViT's width. */
    static int width(String spec) {
        String s = spec.trim();
        String body = s.substring(s.indexOf(':') + 1);
        if (s.startsWith("mlp:")) {
            String[] sizes = body.split(",")[0].split("-");
            return Integer.parseInt(sizes[Math.min(1, sizes.length - 1)].trim());
        }
        String key = s.startsWith("cnn:") ? "conv" : s.startsWith("vit:") ? "dim" : "width";
        for (String kv : body.split(",")) {
            String[] p = kv.split("=", 2);
            if (p.length == 2 && p[0].trim().equals(key)) {
                return Integer.parseInt(p[1].trim().split("-")[0]);
            }
        }
        return s.startsWith("vit:") ? 192 : 64; // the zoo's defaults
    }

    /** The depth L of the scaling laws: an MLP's number of weight layers; 0 when the family has no single depth. */
    static int depth(String spec) {
        String s = spec.trim();
        if (s.startsWith("mlp:")) {
            return s.substring(4).split(",")[0].split("-").length - 1;
        }
        return 0;
    }
}
