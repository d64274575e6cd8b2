package optlab.experiments.gammaeta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optlab.experiments.online.OnlineConfig;
import optlab.experiments.run.ConfigException;
import optlab.experiments.run.JsonFields;

/**
 * A (γ0, η0) sweep, as JSON (written to DIR/sweep.json, so a sweep can be rerun or resumed from its folder):
 * <pre>
 * run        the online run template: every OnlineConfig field but gamma0, eta0, name and out
 * gamma0     {"from": -3, "to": 3, "per_decade": 2}          log10 range of γ0
 * eta0       {"top": 3, "floor": -12, "per_decade": 2,        log10 of the first and lowest η0
 *             "decades_below": 3, "ce_to_floor": false}       depth below η_max; CE at γ0 &lt; 1: on to the floor
 * fit        {"small_below": 1, "large_above": 1,             γ0 ranges of the two power-law fits of η_max
 *             "confidence": 0.95}
 * curves     [-3, -1, 1, 3]                                   log10 γ0 whose loss curves are drawn
 * </pre>
 */
public record Settings(ObjectNode run, LogGrid gammaGrid, int gammaFrom, int gammaTo, LogGrid etaGrid, int etaTop,
        int etaFloor, int decadesBelow, boolean ceToFloor, double smallBelow, double largeAbove, double confidence,
        List<Integer> curves) {

    public static Settings parse(JsonNode root) {
        JsonFields f = new JsonFields(root, "");
        JsonNode run = f.node("run");
        if (run == null || !run.isObject()) {
            throw new ConfigException("run", "is required: the online run template (model, data, steps, ...)");
        }
        for (String owned : List.of("gamma0", "eta0", "name", "out")) {
            if (run.has(owned)) {
                throw new ConfigException("run." + owned, "is set by the sweep for each run; leave it out of the template");
            }
        }
        JsonFields g = new JsonFields(orEmpty(f.node("gamma0")), "gamma0");
        LogGrid gammaGrid = new LogGrid((int) g.integer("per_decade", 2, 1, 100));
        int gFrom = gammaGrid.index(g.real("from", -3, -30, 30));
        int gTo = gammaGrid.index(g.real("to", 3, -30, 30));
        g.finish();
        if (gFrom > gTo) {
            throw new ConfigException("gamma0.from", "must not exceed gamma0.to");
        }
        JsonFields e = new JsonFields(orEmpty(f.node("eta0")), "eta0");
        LogGrid etaGrid = new LogGrid((int) e.integer("per_decade", 2, 1, 100));
        int top = etaGrid.index(e.real("top", 3, -60, 60));
        int floor = etaGrid.index(e.real("floor", -12, -60, 60));
        int below = (int) e.integer("decades_below", 3, 0, 60);
        boolean ceToFloor = e.bool("ce_to_floor", false);
        e.finish();
        if (floor > top) {
            throw new ConfigException("eta0.floor", "must not exceed eta0.top");
        }
        JsonFields fit = new JsonFields(orEmpty(f.node("fit")), "fit");
        double small = fit.real("small_below", 1, 0, Double.MAX_VALUE);
        double large = fit.real("large_above", 1, 0, Double.MAX_VALUE);
        double confidence = fit.real("confidence", 0.95, 1e-6, 1 - 1e-6);
        fit.finish();
        List<Integer> curves = new ArrayList<>();
        JsonNode c = f.node("curves");
        if (c != null) {
            if (!c.isArray()) {
                throw new ConfigException("curves", "expected a list of log10 gamma0 values");
            }
            for (JsonNode v : c) {
                curves.add(gammaGrid.index(v.asDouble()));
            }
        } else {
            for (int k = gFrom; k <= gTo; k += 2 * gammaGrid.perDecade()) {
                curves.add(k);
            }
        }
        f.finish();
        Settings spec = new Settings((ObjectNode) run, gammaGrid, gFrom, gTo, etaGrid, top, floor, below,
                ceToFloor, small, large, confidence, List.copyOf(curves));
        spec.config(gFrom, top, Path.of("check")); // the template must make valid runs: fail now, naming the field
        return spec;
    }

    private static JsonNode orEmpty(JsonNode n) {
        return n == null ? JsonNodeFactory.instance.objectNode() : n;
    }

    /** The online run at grid point (γ0 index kg, η0 index ke), writing into {@code folder}. */
    public OnlineConfig config(int kg, int ke, Path folder) {
        ObjectNode o = run.deepCopy();
        o.put("gamma0", gammaGrid.value(kg));
        o.put("eta0", etaGrid.value(ke));
        o.put("out", folder.toString());
        try {
            return OnlineConfig.parse(o);
        } catch (ConfigException ex) {
            throw new ConfigException(ex.path().isEmpty() ? "run" : "run." + ex.path(),
                    ex.getMessage().substring(ex.getMessage().indexOf(": ") + 2));
        }
    }

    /** The η0 scan of γ0 index {@code kg}: cross-entropy below γ0 = 1 goes to the floor when asked to. */
    public EtaScan scan(int kg) {
        boolean ce = run.path("loss").asText("mse").matches("ce|cross_entropy");
        return new EtaScan(etaGrid, etaTop, etaFloor, decadesBelow, ceToFloor && ce && gammaGrid.value(kg) < 1);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("run", run.deepCopy());
        ObjectNode g = o.putObject("gamma0");
        g.put("from", gammaGrid.log10(gammaFrom));
        g.put("to", gammaGrid.log10(gammaTo));
        g.put("per_decade", gammaGrid.perDecade());
        ObjectNode e = o.putObject("eta0");
        e.put("top", etaGrid.log10(etaTop));
        e.put("floor", etaGrid.log10(etaFloor));
        e.put("per_decade", etaGrid.perDecade());
        e.put("decades_below", decadesBelow);
        e.put("ce_to_floor", ceToFloor);
        ObjectNode fit = o.putObject("fit");
        fit.put("small_below", smallBelow);
        fit.put("large_above", largeAbove);
        fit.put("confidence", confidence);
        ArrayNode c = o.putArray("curves");
        curves.forEach(k -> c.add(gammaGrid.log10(k)));
        return o;
    }
}
