package optlab.experiments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes benchmark results as a JSON list of objects with snake_case keys (optlab_gflops, ...). */
final class ResultsJson {
    private ResultsJson() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    static void write(Path file, List<?> rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        mapper().writeValue(file.toFile(), rows);
    }
}
