package optlab.experiments.pathgeometry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the path-geometry recipe does: the data (a run config's "data" value), steps or epochs per run (one of
 * them 0), the ResNet's stages and width (the plain MLP is sized to its parameter count), the μP MLPs' width, the
 * cadence of the fixed-batch probe, the samples of the straight-line loss, whether full-batch gradients are taken
 * every epoch, the seeds (the first for every study; all of them for every run when {@code allSeeds}), parallel
 * workers (one thread per run) and the output folder.
 */
public record Settings(String preset, JsonNode data, long steps, int epochs, String blocks, int width, int mupWidth,
        int fixedEvery, int lineSamples, boolean fullBatch, List<Long> seeds, boolean allSeeds, int workers, Path out) {

    public Settings {
        seeds = List.copyOf(seeds);
        if ((steps > 0) == (epochs > 0)) {
            throw new IllegalArgumentException("path-geometry: give steps or epochs (exactly one)");
        }
        if (width < 1 || mupWidth < 1 || fixedEvery < 1 || lineSamples < 1 || workers < 1 || seeds.isEmpty()) {
            throw new IllegalArgumentException("path-geometry: widths, cadences, samples, workers must be >= 1 and"
                    + " there must be a seed");
        }
    }

    /** The same settings with {@code steps} per run (epochs off). */
    public Settings withSteps(long n) {
        return new Settings(preset, data, n, 0, blocks, width, mupWidth, fixedEvery, lineSamples, fullBatch, seeds,
                allSeeds, workers, out);
    }

    /** The same settings with {@code n} epochs per run (steps off). */
    public Settings withEpochs(int n) {
        return new Settings(preset, data, 0, n, blocks, width, mupWidth, fixedEvery, lineSamples, fullBatch, seeds,
                allSeeds, workers, out);
    }

    /** The same settings with the first seed {@code s} (the others follow it). */
    public Settings withSeed(long s) {
        List<Long> shifted = seeds.stream().map(k -> k - seeds.getFirst() + s).toList();
        return new Settings(preset, data, steps, epochs, blocks, width, mupWidth, fixedEvery, lineSamples, fullBatch,
                shifted, allSeeds, workers, out);
    }

    /** As written to recipe.json. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recipe", "path-geometry");
        o.put("preset", preset);
        o.set("data", data);
        if (steps > 0) {
            o.put("steps", steps);
        } else {
            o.put("epochs", epochs);
        }
        o.put("resnet_blocks", blocks);
        o.put("resnet_width", width);
        o.put("mup_width", mupWidth);
        o.put("fixed_every", fixedEvery);
        o.put("line_samples", lineSamples);
        o.put("full_batch", fullBatch);
        var s = o.putArray("seeds");
        seeds.forEach(s::add);
        o.put("all_seeds", allSeeds);
        o.put("workers", workers);
        o.put("out", out.toString());
        return o;
    }
}
