package optlab.models.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file: one {@link Entry} per tensor, in header order,
 * and the optional string metadata. Validation happens here, once, so that readers can trust the offsets:
 * every entry's byte range lies inside the data buffer, matches shape × element size, and overlaps no other.
 */
record Header(List<Entry> entries, Map<String, String> metadata) {
    /** Largest header we accept; the reference implementation's limit is 100 MB. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** One tensor's header entry; {@code begin}, {@code end} are byte offsets into the data buffer. */
    record Entry(String name, StoredType type, int[] shape, long begin, long end) {
        /** Elements; throws ArithmeticException when the product overflows (checked once, by {@link #parse}). */
        long numel() {
            long n = 1;
            for (int s : shape) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        }
    }

    /**
     * Parses {@code json} (the header bytes) for a file whose data buffer holds {@code dataBytes} bytes.
     *
     * @throws SafeTensorsException naming {@code file} and, where there is one, the offending key
     */
    static Header parse(Path file, byte[] json, long dataBytes) throws SafeTensorsException {
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsException(file, "header must be a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey();
            JsonNode node = field.getValue();
            if (key.equals(METADATA_KEY)) {
                readMetadata(file, node, metadata);
            } else {
                entries.add(readEntry(file, key, node, dataBytes));
            }
        }
        checkNoOverlap(file, entries);
        return new Header(List.copyOf(entries), Map.copyOf(metadata));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException(file, METADATA_KEY + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) {
                throw new SafeTensorsException(file, METADATA_KEY + " value of '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry readEntry(Path file, String key, JsonNode node, long dataBytes) throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException(file, "tensor '" + key + "': entry must be an object");
        }
        JsonNode dtype = node.get("dtype"), shape = node.get("shape"), offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual()) {
            throw new SafeTensorsException(file, "tensor '" + key + "': missing or non-string \"dtype\"");
        }
        StoredType type = StoredType.named(dtype.textValue());
        if (type == null) {
            throw new SafeTensorsException(file, "tensor '" + key + "': unknown dtype " + dtype.textValue());
        }
        if (shape == null || !shape.isArray()) {
            throw new SafeTensorsException(file, "tensor '" + key + "': missing or non-array \"shape\"");
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw new SafeTensorsException(file, "tensor '" + key + "': bad shape " + shape);
            }
            dims[i] = d.intValue();
        }
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new SafeTensorsException(file, "tensor '" + key + "': \"data_offsets\" must be [begin, end]");
        }
        long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new SafeTensorsException(file, "tensor '" + key + "': bad data_offsets [" + begin + ", " + end + "]");
        }
        Entry e = new Entry(key, type, dims, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(e.numel(), type.byteSize);
        } catch (ArithmeticException overflow) {
            throw new SafeTensorsException(file, "tensor '" + key + "': shape " + Arrays.toString(dims) + " is too large");
        }
        if (end - begin != expected) {
            throw new SafeTensorsException(file, "tensor '" + key + "': data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin) + " bytes but " + type + Arrays.toString(dims) + " needs " + expected);
        }
        if (end > dataBytes) {
            throw new SafeTensorsException(file, "truncated: tensor '" + key + "' ends at byte " + end
                    + " of the data buffer, which holds only " + dataBytes + " bytes");
        }
        return e;
    }

    private static void checkNoOverlap(Path file, List<Entry> entries) throws SafeTensorsException {
        List<Entry> byBegin = new ArrayList<>(entries);
        byBegin.removeIf(e -> e.begin() == e.end()); // empty tensors occupy no bytes
        byBegin.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            Entry a = byBegin.get(i - 1), b = byBegin.get(i);
            if (b.begin() < a.end()) {
                throw new SafeTensorsException(file, "tensors '" + a.name() + "' [" + a.begin() + ", " + a.end()
                        + ") and '" + b.name() + "' [" + b.begin() + ", " + b.end() + ") overlap");
            }
        }
    }
}
