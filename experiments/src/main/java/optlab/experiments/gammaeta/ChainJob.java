package optlab.experiments.gammaeta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import optlab.experiments.online.OnlineResult;
import optlab.experiments.online.OnlineRun;
import optlab.experiments.sweep.SweepFolders;
import optlab.experiments.sweep.SweepJob;

/**
 * The η0 scan of one γ0 as one sweep job: its runs depend on each other (where to stop depends on η_max), so they
 * run in order on one worker while other γ0 scan in parallel. Each run keeps its own folder
 * ({@code DIR/runs/g<log10 γ0>_e<log10 η0>}), so a resumed scan reuses every finished run and recomputes nothing;
 * the job's own folder ({@code DIR/chains/g<log10 γ0>}) gets a summary with η_max and the points scanned.
 */
public final class ChainJob implements SweepJob {
    /** The {@code "kind"} of its JSON description: the sweep spec, the sweep folder and the γ0 grid index. */
    public static final String KIND = "gamma-eta-chain";

    private final Settings spec;
    private final Path dir;
    private final int kg;
    private final RunProgress progress;

    ChainJob(Settings spec, Path dir, int kg, RunProgress progress) {
        this.spec = spec;
        this.dir = dir;
        this.kg = kg;
        this.progress = progress;
    }

    /**
     * The job {@link #toJson} described, run alone (in a Spark task or a SLURM array task): its progress lines count
     * its own runs only, on {@code log}.
     */
    public static ChainJob fromJson(JsonNode json, PrintStream log) {
        if (!json.path("spec").isObject() || !json.path("dir").isTextual() || !json.path("gamma_index").canConvertToInt()) {
            throw new IllegalArgumentException(KIND + " job: needs an object \"spec\", a text \"dir\" and an integer "
                    + "\"gamma_index\", got " + json);
        }
        Settings spec = Settings.parse(json.get("spec"));
        int kg = json.get("gamma_index").asInt();
        if (kg < spec.gammaFrom() || kg > spec.gammaTo()) {
            throw new IllegalArgumentException(KIND + " job: gamma_index " + kg + " is outside the spec's gamma0 grid");
        }
        return new ChainJob(spec, Path.of(json.get("dir").asText()), kg, new RunProgress(log, 1, RunProgress.guess(spec, kg)));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("kind", KIND);
        o.put("id", id());
        o.set("spec", spec.toJson());
        o.put("dir", dir.toString());
        o.put("gamma_index", kg);
        return o;
    }

    static Path runFolder(Settings spec, Path dir, int kg, int ke) {
        return dir.resolve("runs").resolve("g" + spec.gammaGrid().token(kg) + "_e" + spec.etaGrid().token(ke));
    }

    static Path chainFolder(Settings spec, Path dir, int kg) {
        return dir.resolve("chains").resolve("g" + spec.gammaGrid().token(kg));
    }

    @Override
    public String id() {
        return "gamma0=" + String.format(java.util.Locale.ROOT, "%.3g", spec.gammaGrid().value(kg));
    }

    @Override
    public Path folder() {
        return chainFolder(spec, dir, kg);
    }

    @Override
    public void run() throws IOException {
        EtaScan scan = spec.scan(kg);
        boolean[] stable = {false};
        EtaScan.Outcome o = scan.scan(ke -> {
            Path folder = runFolder(spec, dir, kg, ke);
            Optional<OnlineResult> done = OnlineResult.read(folder);
            OnlineResult r = done.isPresent() ? done.get() : new OnlineRun(spec.config(kg, ke, folder)).run();
            if (!r.diverged() && !stable[0]) {
                stable[0] = true;
                progress.known(id(), scan.expectedRuns(ke));
            }
            progress.finished(id(), spec.etaGrid().value(ke), r, done.isPresent());
            return r.diverged();
        });
        progress.known(id(), o.points().size());
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("status", SweepFolders.COMPLETED);
        s.put("gamma0", spec.gammaGrid().value(kg));
        if (o.etaMax() != null) {
            s.put("eta0_max", spec.etaGrid().value(o.etaMax()));
        } else {
            s.putNull("eta0_max");
        }
        ArrayNode points = s.putArray("points");
        for (EtaScan.Point p : o.points()) {
            points.addObject().put("eta0", spec.etaGrid().value(p.k())).put("diverged", p.diverged())
                    .put("folder", dir.relativize(runFolder(spec, dir, kg, p.k())).toString());
        }
        SweepFolders.writeSummary(folder(), s);
    }
}
