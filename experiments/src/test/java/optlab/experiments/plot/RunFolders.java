package optlab.experiments.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes small synthetic run folders in the training runs' format, for plot tests. */
final class RunFolders {
    private RunFolders() {
    }

    /**
     * A run of {@code steps} steps (from step 1) whose loss decays like a0 * exp(-rate * step) with
     * a wiggle, evaluated every {@code stepsPerEpoch} steps, with summary name {@code name} (null: none).
     */
    static Path write(Path dir, String name, int steps, int stepsPerEpoch, double rate) {
        StringBuilder s = new StringBuilder("step,loss,lr\n");
        for (int k = 1; k <= steps; k++) {
            double loss = 2.3 * Math.exp(-rate * k) + 0.05 + 0.03 * Math.sin(k * 0.7);
            s.append(String.format(Locale.ROOT, "%d,%.6f,0.1%n", k, loss));
        }
        StringBuilder e = new StringBuilder("step,epoch,train_loss,train_acc,test_loss,test_acc\n");
        for (int k = stepsPerEpoch, epoch = 1; k <= steps; k += stepsPerEpoch, epoch++) {
            double loss = 2.3 * Math.exp(-rate * k) + 0.05;
            // Train accuracy left empty at the first evaluation: cells may be missing.
            String trainAcc = epoch == 1 ? "" : String.format(Locale.ROOT, "%.4f", 1 - loss / 2.5);
            e.append(String.format(Locale.ROOT, "%d,%d,%.6f,%s,%.6f,%.4f%n", k, epoch, loss, trainAcc, loss * 1.1, 1 - loss / 2.3));
        }
        put(dir.resolve("steps.csv"), s.toString());
        put(dir.resolve("evals.csv"), e.toString());
        String nameField = name == null ? "" : "\"name\": \"" + name + "\", ";
        put(dir.resolve("summary.json"), "{" + nameField + "\"status\": \"completed\", \"config\": {\"lr\": 0.1}}\n");
        return dir;
    }

    static void put(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
