package optlab.experiments.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One run folder, read for plotting: its legend label, status and curves.
 *
 * <p>Format (written by training runs): {@code steps.csv} with columns {@code step,loss,...} (loss of
 * the minibatch before that step's update); {@code evals.csv} with {@code step,epoch,train_loss,
 * train_acc,test_loss,test_acc} (optional: a run may not have evaluated yet); {@code summary.json}
 * with {@code "status"} and an optional {@code "name"} (optional: the folder name labels the run).
 *
 * @param trainLoss minibatch loss against step
 */
record Run(Path dir, String label, String status, Curve trainLoss, Evals evals) {

    static final String STEPS = optlab.experiments.run.RunFolder.STEPS;
    static final String EVALS = optlab.experiments.run.RunFolder.EVALS;
    static final String SUMMARY = optlab.experiments.run.RunFolder.SUMMARY;

    /** Reads {@code dir}; fails with a message naming the folder or file at fault. */
    static Run read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new PlotException("run folder not found: " + dir);
        }
        CsvTable steps = CsvTable.read(dir.resolve(STEPS));
        if (steps.rows().isEmpty()) {
            throw new PlotException(steps.file() + ": no rows after the header");
        }
        Curve trainLoss = new Curve(steps.values(steps.requireColumn("step")), steps.values(steps.requireColumn("loss")));
        Path evalsFile = dir.resolve(EVALS);
        Evals evals = Files.exists(evalsFile) ? Evals.of(CsvTable.read(evalsFile)) : Evals.NONE;

        String folder = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();
        String name = folder;
        String status = "";
        Path summary = dir.resolve(SUMMARY);
        if (Files.exists(summary)) {
            JsonNode root = readJson(summary);
            if (root.path("name").isTextual() && !root.path("name").asText().isBlank()) {
                name = root.path("name").asText();
            }
            status = root.path("status").asText("");
        }
        // A diverged run's curve stops or shoots up; say so in the legend rather than leave it a puzzle.
        String label = "diverged".equals(status) ? name + " (diverged)" : name;
        return new Run(dir, label, status, trainLoss, evals);
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new PlotException(file + ": expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new PlotException(file + " line " + line + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    Run withLabel(String newLabel) {
        return new Run(dir, newLabel, status, trainLoss, evals);
    }
}
