package optlab.tensor.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds and loads the CUDA shared libraries. Each library is looked for under its versioned sonames (newest
 * first) and its unversioned name, in {@code $CUDA_HOME} / {@code $CUDA_PATH}, {@code /usr/local/cuda*}, the
 * {@code nvidia-*} Python wheels' {@code lib} folders (where PyTorch's pip install puts cuBLAS and NVRTC) and
 * finally the system loader's path (LD_LIBRARY_PATH, ld.so.cache: where the driver's libcuda.so.1 lives).
 * The system property {@value #OVERRIDE} names one file that exports every symbol instead (the test stand-in).
 */
final class CudaLibraries {
    /** System property: one shared library standing in for cudart, cuBLAS, NVRTC and the driver. */
    static final String OVERRIDE = "optlab.cuda.library";

    /** Sonames' major versions tried, newest first (CUDA 13 and 12; the driver is libcuda.so.1). */
    private static final String[] VERSIONS = {"13", "12", "11"};

    private CudaLibraries() {
    }

    /** The library {@code lib<base>.so} (driver: {@code cuda} with version 1), loaded into {@code arena}. */
    static SymbolLookup load(String base, Arena arena) {
        String override = System.getProperty(OVERRIDE);
        if (override != null && !override.isBlank()) {
            Path file = Path.of(override);
            if (!Files.isRegularFile(file)) {
                throw new CudaUnavailableException("CUDA is not available: " + OVERRIDE + " names " + file
                        + ", which is not a file.");
            }
            return SymbolLookup.libraryLookup(file, arena);
        }
        List<String> names = sonames(base);
        for (Path dir : folders()) {
            for (String name : names) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    try {
                        return SymbolLookup.libraryLookup(file, arena);
                    } catch (IllegalArgumentException unloadable) {
                        // wrong architecture or missing dependency: try the next candidate
                    }
                }
            }
        }
        for (String name : names) {
            try {
                return SymbolLookup.libraryLookup(name, arena);
            } catch (IllegalArgumentException notOnLoaderPath) {
                // next name
            }
        }
        throw new CudaUnavailableException("CUDA is not available: lib" + base + ".so was not found (looked in"
                + " CUDA_HOME, /usr/local/cuda*/lib64, the nvidia-* Python wheels and the system library path).");
    }

    /** lib<base>.so.13, .so.12, .so.11, .so (the driver: libcuda.so.1, libcuda.so). */
    static List<String> sonames(String base) {
        List<String> names = new ArrayList<>();
        if (base.equals("cuda")) {
            names.add("libcuda.so.1");
        } else {
            for (String v : VERSIONS) {
                names.add("lib" + base + ".so." + v);
            }
        }
        names.add("lib" + base + ".so");
        return names;
    }

    /** Candidate folders, most specific first. */
    static List<Path> folders() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String var : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String home = System.getenv(var);
            if (home != null && !home.isBlank()) {
                dirs.add(Path.of(home, "lib64"));
                dirs.add(Path.of(home, "lib"));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.addAll(children(Path.of("/usr/local"), "cuda-", "lib64"));
        for (Path sitePackages : sitePackages()) {
            Path nvidia = sitePackages.resolve("nvidia");
            dirs.addAll(children(nvidia, "", "lib"));
        }
        return List.copyOf(dirs);
    }

    /** Python library folders where pip puts the nvidia-* wheels (system, user, virtualenv, conda). */
    private static List<Path> sitePackages() {
        List<Path> roots = new ArrayList<>();
        for (String var : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                roots.add(Path.of(v, "lib"));
            }
        }
        String home = System.getProperty("user.home");
        if (home != null) {
            roots.add(Path.of(home, ".local", "lib"));
        }
        roots.add(Path.of("/usr/local/lib"));
        roots.add(Path.of("/usr/lib"));
        roots.add(Path.of("/opt/conda/lib"));
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            for (Path python : children(root, "python3", "")) {
                out.add(python.resolve("site-packages"));
                out.add(python.resolve("dist-packages"));
            }
        }
        return out;
    }

    /** {@code parent/<prefix>*}/{@code sub}, newest name first, for folders that exist. */
    private static List<Path> children(Path parent, String prefix, String sub) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .map(p -> sub.isEmpty() ? p : p.resolve(sub))
                    .filter(Files::isDirectory)
                    .toList();
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
