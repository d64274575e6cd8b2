package optlab.experiments.pathgeometry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * One run of the study: which study it belongs to ({@code group}: arch, optimizer, batch, lr, width, seed), the
 * architecture, its parameterization, the optimizer (sgd, momentum, adam), batch size, learning rate and seed.
 *
 * @param group          the study the run answers (its figures and table rows are grouped by it)
 * @param arch           short architecture name (resnet, resnet-nobn, resnet-noskip, mlp, mup-g0.1, ...)
 * @param model          the zoo spec
 * @param parameterization "standard" or "mup:gamma0=G"
 * @param optimizer      sgd, momentum or adam
 * @param batch          minibatch size
 * @param lr             the learning rate applied
 * @param seed           init, data order and dropout seed
 */
public record Variant(String group, String arch, String model, String parameterization, String optimizer, int batch,
        double lr, long seed) {

    /** A folder name that says what the run is: arch-optimizer-bB-lrX-sS. */
    public String id() {
        return String.format(Locale.ROOT, "%s-%s-b%d-lr%s-s%d", arch, optimizer, batch, shortNumber(lr), seed);
    }

    /** The optimizer spec: SGD, SGD with momentum 0.9 (torch's heavy ball), Adam (torch defaults). */
    public String optimizerSpec() {
        return switch (optimizer) {
            case "sgd" -> "sgd:lr=" + lr;
            case "momentum" -> "sgd:lr=" + lr + ",momentum=0.9";
            case "adam" -> "adam:lr=" + lr;
            default -> throw new IllegalArgumentException("path-geometry: unknown optimizer " + optimizer);
        };
    }

    /** A short label for legends and tables. */
    public String label() {
        return String.format(Locale.ROOT, "%s %s B=%d lr=%s s%d", arch, optimizer, batch, shortNumber(lr), seed);
    }

    static String shortNumber(double x) {
        String s = String.format(Locale.ROOT, "%.4g", x);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("group", group);
        o.put("arch", arch);
        o.put("model", model);
        o.put("parameterization", parameterization);
        o.put("optimizer", optimizer);
        o.put("batch", batch);
        o.put("lr", lr);
        o.put("seed", seed);
        return o;
    }
}
