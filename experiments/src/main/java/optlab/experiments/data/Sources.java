package optlab.experiments.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optlab.tensor.DType;
import optlab.tensor.Scope;

/**
 * Named datasets, as a run's config spells them:
 * <ul>
 *   <li>{@code fashion-mnist} — Debian's {@code dataset-fashion-mnist} in {@value #FASHION_MNIST_DIR};
 *       {@code fashion-mnist:<dir>} or {@code mnist:<dir>} — a folder of the four IDX files
 *       ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-...}; {@code .gz} or raw,
 *       and the {@code train-images.idx3-ubyte} spelling of some MNIST mirrors);</li>
 *   <li>{@code cifar10:<dir>} — {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin};</li>
 *   <li>{@code cifar100:<dir>} — {@code train.bin} and {@code test.bin}, fine labels;</li>
 *   <li>{@code svhn:<dir>} — SVHN's {@code train_32x32.mat} and {@code test_32x32.mat} as published (see
 *       {@link SvhnFile}; the {@code extra} set is not used).</li>
 * </ul>
 */
public final class Sources {
    public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
    /** The Debian package that installs {@link #FASHION_MNIST_DIR}; see {@link SystemPackages} when it is missing. */
    public static final String FASHION_MNIST_PACKAGE = "dataset-fashion-mnist";

    /** Which part of a dataset's official split. */
    public enum Part {
        TRAIN, TEST
    }

    private Sources() {
    }

    /** Loads part {@code part} of the dataset named by {@code spec} into {@code scope}. */
    public static Dataset load(String spec, Part part, DType dtype, Normalization norm, Scope scope) throws IOException {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String arg = colon < 0 ? null : spec.substring(colon + 1);
        String name = spec + "/" + part.name().toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case "fashion-mnist", "mnist" -> {
                if (arg == null && kind.equals("mnist")) {
                    throw new IllegalArgumentException("dataset 'mnist' needs a folder: mnist:<dir>");
                }
                Path dir = Path.of(arg == null ? FASHION_MNIST_DIR : arg);
                if (arg == null && !Files.isDirectory(dir)
                        && !(SystemPackages.current().install(FASHION_MNIST_PACKAGE, "Fashion-MNIST") && Files.isDirectory(dir))) {
                    throw new java.nio.file.NoSuchFileException(FASHION_MNIST_DIR, null, "Fashion-MNIST is not installed; run: "
                            + SystemPackages.current().command(FASHION_MNIST_PACKAGE)
                            + " (or name a folder of its IDX files: fashion-mnist:<dir>)");
                }
                String prefix = part == Part.TRAIN ? "train" : "t10k";
                yield IdxDataset.load(name, idx(dir, prefix, "images", 3), idx(dir, prefix, "labels", 1), 10, dtype,
                        norm, scope);
            }
            case "cifar10" -> {
                Path dir = dirArg(spec, arg);
                List<Path> files = new ArrayList<>();
                if (part == Part.TRAIN) {
                    for (int i = 1; i <= 5; i++) {
                        files.add(existing(dir.resolve("data_batch_" + i + ".bin")));
                    }
                } else {
                    files.add(existing(dir.resolve("test_batch.bin")));
                }
                yield CifarFile.CIFAR10.load(name, files, dtype, norm, scope);
            }
            case "cifar100" -> {
                Path dir = dirArg(spec, arg);
                Path file = existing(dir.resolve(part == Part.TRAIN ? "train.bin" : "test.bin"));
                yield CifarFile.CIFAR100.load(name, List.of(file), dtype, norm, scope);
            }
            case "svhn" -> {
                Path dir = dirArg(spec, arg);
                yield SvhnFile.load(name, existing(dir.resolve(part == Part.TRAIN ? "train_32x32.mat" : "test_32x32.mat")),
                        dtype, norm, scope);
            }
            default -> throw new IllegalArgumentException("unknown dataset '" + spec + "'; known: fashion-mnist, "
                    + "fashion-mnist:<dir>, mnist:<dir>, cifar10:<dir>, cifar100:<dir>, svhn:<dir>");
        };
    }

    /** The IDX file {@code <prefix>-<what>-idx<rank>-ubyte[.gz]} (or the {@code .idx} spelling) in {@code dir}. */
    static Path idx(Path dir, String prefix, String what, int rank) throws IOException {
        List<Path> tried = new ArrayList<>();
        for (String base : List.of(prefix + "-" + what + "-idx" + rank + "-ubyte", prefix + "-" + what + ".idx" + rank + "-ubyte")) {
            for (String ext : List.of(".gz", "")) {
                Path p = dir.resolve(base + ext);
                if (Files.isRegularFile(p)) {
                    return p;
                }
                tried.add(p);
            }
        }
        throw new IOException("no IDX " + what + " file in " + dir + "; looked for " + tried);
    }

    private static Path dirArg(String spec, String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + spec + "' needs a folder, e.g. " + spec + ":<dir>");
        }
        return Path.of(arg);
    }

    private static Path existing(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IOException(p + ": file not found");
        }
        return p;
    }
}
