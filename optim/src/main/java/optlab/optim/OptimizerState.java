package optlab.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.optim.internal.Team;
import optlab.optim.transform.StateBuffer;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;

/**
 * What an optimizer keeps for one flat parameter block, in two kinds. <b>Saved</b>: the step count and
 * named flat buffers (torch's state names: exp_avg, momentum_buffer, …), each one value per parameter in
 * the block's dtype and element order, and named scalars (a rule's carried step size, its counters: Runge–Kutta
 * rk23's h and accepted/rejected steps) as doubles; {@link #save}/{@link #load} round-trip them bit for bit.
 * <b>Scratch</b>: buffers a step reuses but does not carry to the next (Runge–Kutta stages, trial points,
 * Path-SGD's κ) and attachments a rule needs to step (Path-SGD's path structure); never saved, rebuilt by
 * {@link Optimizer#resume} after a load. It owns all their off-heap memory until {@link #close()}.
 */
public final class OptimizerState implements AutoCloseable {
    private static final String MAGIC = "optlab.optim.OptimizerState";
    /** Version 2 adds the named scalars after the buffers; version 1 files (no scalars) still load. */
    private static final int VERSION = 2;

    private final Scope scope = Scope.open();
    private final DType dtype;
    private final long numel;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Tensor> scratch = new LinkedHashMap<>();
    private final Map<Class<?>, AutoCloseable> attachments = new LinkedHashMap<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private long step;
    /** Where steps split their work (not saved): the calling thread until {@link #runOn}. */
    private Team team = Team.CALLER;
    /** The backend steps run on (not saved), or null until {@link #runOn}. */
    private Backend backend;

    OptimizerState(DType dtype, long numel, List<StateBuffer> layout) {
        this.dtype = dtype;
        this.numel = numel;
        int n = Math.toIntExact(numel);
        for (StateBuffer b : layout) {
            buffers.put(b.name(), b.initialValue() == 0 ? scope.zeros(dtype, n) : scope.full(dtype, b.initialValue(), n));
        }
    }

    public DType dtype() {
        return dtype;
    }

    /** Parameters in the block this state belongs to. */
    public long numel() {
        return numel;
    }

    /** Steps taken so far (torch's {@code state['step']}). */
    public long step() {
        return step;
    }

    /** Buffer names in a fixed order. */
    public List<String> names() {
        return List.copyOf(buffers.keySet());
    }

    /** Saved scalar names in a fixed order. */
    public List<String> scalarNames() {
        return List.copyOf(scalars.keySet());
    }

    /** A saved scalar's value. */
    public double scalar(String name) {
        Double v = scalars.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no state scalar '" + name + "'; this state holds " + scalars.keySet());
        }
        return v;
    }

    /** Sets a saved scalar the state was made with ({@link #of(Tensor, List, Map)}). */
    public void setScalar(String name, double value) {
        if (scalars.replace(name, value) == null) {
            throw new IllegalArgumentException("no state scalar '" + name + "'; this state holds " + scalars.keySet());
        }
    }

    /** A state buffer: a 1-D tensor of {@link #numel()} values in the memory of the backend it runs on; valid until close. */
    public Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no state buffer '" + name + "'; this state holds " + buffers.keySet());
        }
        return t;
    }

    /**
     * A fresh state for {@code params} with the saved buffers {@code saved} (zeros or their initial value), for
     * rules outside this package that manage their own buffers.
     */
    public static OptimizerState of(Tensor params, List<StateBuffer> saved) {
        FlatBlock.check("OptimizerState.of", "params", params);
        return new OptimizerState(params.dtype(), params.numel(), saved);
    }

    /**
     * Runs this state's steps on {@code backend}'s worker threads (see {@link Backend#forEachTask}), the
     * backend that owns the run, so a one-thread run uses one core; until called, steps run on the
     * calling thread. Results are bitwise the same either way. Not saved; the backend must outlive the
     * steps. Returns this state.
     */
    public OptimizerState runOn(Backend backend) {
        if (backend != this.backend) {
            relocate(backend);
        }
        team = Team.of(backend);
        this.backend = backend;
        return this;
    }

    /**
     * Moves every buffer into {@code to}'s memory where it computes elsewhere: onto the device for a device backend
     * (copies leased for this state's lifetime), back to the host from one. The host copies stay until close.
     */
    private void relocate(Backend to) {
        for (Map<String, Tensor> m : List.of(buffers, scratch)) {
            for (Map.Entry<String, Tensor> e : m.entrySet()) {
                Tensor t = e.getValue();
                if (t.onDevice() && !to.deviceMemory()) {
                    e.setValue(backend.toHost(t, scope));
                } else if (!t.onDevice() && to.deviceMemory()) {
                    e.setValue(to.place(t, scope));
                }
            }
        }
    }

    /** The backend steps run on ({@link #runOn}), or null: then they run the host kernels on the calling thread. */
    public Backend backend() {
        return backend;
    }

    /** The thread team steps split over (optim-internal: rules in other optim packages pass it to the kernels). */
    public Team team() {
        return team;
    }

    /** As {@link #of(Tensor, List)}, plus saved scalars with their initial values (in map order). */
    public static OptimizerState of(Tensor params, List<StateBuffer> saved, Map<String, Double> savedScalars) {
        OptimizerState s = of(params, saved);
        s.scalars.putAll(savedScalars);
        return s;
    }

    /**
     * A scratch buffer of {@link #numel()} values in the state's dtype: allocated (zeroed) on first use, reused
     * after, never saved. Its contents are whatever the rule last wrote.
     */
    public Tensor scratch(String name) {
        return scratch.computeIfAbsent(name, k -> {
            if (backend == null || !backend.deviceMemory()) {
                return scope.zeros(dtype, Math.toIntExact(numel));
            }
            Tensor t = backend.empty(scope, dtype, Math.toIntExact(numel));
            backend.fill(t, 0);
            return t;
        });
    }

    /** Names of the scratch buffers allocated so far. */
    public List<String> scratchNames() {
        return List.copyOf(scratch.keySet());
    }

    /** Attaches (or replaces, closing the old one) an unsaved object a rule steps with; the state closes it. */
    public <T extends AutoCloseable> void attach(Class<T> type, T value) {
        AutoCloseable old = attachments.put(type, java.util.Objects.requireNonNull(value, "attachment"));
        if (old != null && old != value) {
            closeQuietly(old);
        }
    }

    /** The attachment of this type, or null. */
    public <T extends AutoCloseable> T attached(Class<T> type) {
        return type.cast(attachments.get(type));
    }

    /** Steps from the counter of a state read by {@link #load}: fails unless the saved buffers match. */
    void checkSameBuffers(String op, OptimizerState fresh) {
        if (!names().equals(fresh.names()) || !scalarNames().equals(fresh.scalarNames()) || dtype != fresh.dtype
                || numel != fresh.numel) {
            throw new IllegalArgumentException(op + ": the loaded state holds " + names() + scalarList() + " for " + dtype
                    + "[" + numel + "] but this optimizer keeps " + fresh.names() + fresh.scalarList() + " for "
                    + fresh.dtype + "[" + fresh.numel + "]");
        }
    }

    private String scalarList() {
        return scalars.isEmpty() ? "" : " and scalars " + scalars.keySet();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing an optimizer state attachment failed: " + e, e);
        }
    }

    /** Counts a step and returns its 1-based number. */
    public long advance() {
        return ++step;
    }

    /** The buffers of {@code which}, in order (full block, wherever they lie). */
    Tensor[] tensors(List<StateBuffer> which) {
        Tensor[] s = new Tensor[which.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = buffers.get(which.get(i).name());
        }
        return s;
    }

    public void checkFits(String op, Tensor params, List<StateBuffer> layout) {
        List<String> want = new ArrayList<>();
        for (StateBuffer b : layout) {
            want.add(b.name());
        }
        if (!want.equals(names())) {
            throw new IllegalArgumentException(op + ": state holds " + names() + " but this optimizer keeps " + want);
        }
        if (params.dtype() != dtype || params.numel() != numel) {
            throw new IllegalArgumentException(op + ": state was made for " + dtype + "[" + numel + "], params are "
                    + params.dtype() + java.util.Arrays.toString(params.shape()));
        }
    }

    /** Writes the state: a short header, then each buffer's raw values (little-endian). Does not close out. */
    public void save(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeUTF(MAGIC);
        d.writeInt(VERSION);
        d.writeUTF(dtype.name());
        d.writeLong(numel);
        d.writeLong(step);
        d.writeInt(buffers.size());
        try (Scope host = Scope.open()) { // device buffers are copied to the host first
            for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
                d.writeUTF(e.getKey());
                Tensor t = e.getValue().onDevice() ? backend.toHost(e.getValue(), host) : e.getValue();
                copyRaw(t.segment(), dtype, numel, d, null);
            }
        }
        d.writeInt(scalars.size());
        for (Map.Entry<String, Double> e : scalars.entrySet()) {
            d.writeUTF(e.getKey());
            d.writeLong(Double.doubleToRawLongBits(e.getValue()));
        }
        d.flush();
    }

    /** Reads a state written by {@link #save}; the caller owns (closes) the result. Does not close in. */
    public static OptimizerState load(InputStream in) throws IOException {
        return load(in, -1);
    }

    /**
     * As {@link #load(InputStream)} for a state that must hold {@code numel} values per buffer (a model's parameter
     * count): a file saying otherwise fails before any buffer is allocated, so a damaged header cannot ask for
     * gigabytes. A negative {@code numel} accepts any count.
     */
    public static OptimizerState load(InputStream in, long numel) throws IOException {
        DataInputStream d = new DataInputStream(in);
        String magic = d.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException("not an optimizer state (header '" + magic + "')");
        }
        int version = d.readInt();
        if (version != 1 && version != VERSION) {
            throw new IOException("optimizer state version " + version + " is not supported (expected " + VERSION + ")");
        }
        String dtypeName = d.readUTF();
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new IOException("optimizer state dtype '" + dtypeName + "' is not F32 or F64");
        }
        long stored = d.readLong();
        if (stored < 0 || stored > Integer.MAX_VALUE || (numel >= 0 && stored != numel)) {
            throw new IOException("optimizer state holds " + stored + " values per buffer"
                    + (numel >= 0 ? ", this model has " + numel + " parameters" : ""));
        }
        long step = d.readLong();
        int count = d.readInt();
        if (count < 0 || count > 64) {
            throw new IOException("optimizer state claims " + count + " buffers");
        }
        // Names come interleaved with data, so each buffer is allocated as it is read.
        OptimizerState s = new OptimizerState(dtype, stored, List.of());
        try {
            for (int i = 0; i < count; i++) {
                String name = d.readUTF();
                Tensor t = s.scope.empty(dtype, Math.toIntExact(stored));
                copyRaw(t.segment(), dtype, stored, null, d);
                s.buffers.put(name, t);
            }
            int scalarCount = version >= 2 ? d.readInt() : 0;
            for (int i = 0; i < scalarCount; i++) {
                String name = d.readUTF();
                s.scalars.put(name, Double.longBitsToDouble(d.readLong()));
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        s.step = step;
        return s;
    }

    /** Streams a segment's values out (or in) in 1 MiB slices, converting native order to little-endian. */
    private static void copyRaw(MemorySegment seg, DType dtype, long numel, DataOutputStream out, DataInputStream in)
            throws IOException {
        ValueLayout nat = dtype.layout();
        ValueLayout le = nat.withOrder(ByteOrder.LITTLE_ENDIAN);
        int per = (1 << 20) / dtype.byteSize();
        byte[] chunk = new byte[(int) Math.min(numel, per) * dtype.byteSize()];
        MemorySegment heap = MemorySegment.ofArray(chunk);
        for (long e = 0; e < numel; e += per) {
            int n = (int) Math.min(per, numel - e);
            int bytes = n * dtype.byteSize();
            if (out != null) {
                MemorySegment.copy(seg, nat, e * dtype.byteSize(), heap, le, 0, n);
                out.write(chunk, 0, bytes);
            } else {
                in.readFully(chunk, 0, bytes);
                MemorySegment.copy(heap, le, 0, seg, nat, e * dtype.byteSize(), n);
            }
        }
    }

    @Override
    public void close() {
        try {
            for (AutoCloseable c : attachments.values()) {
                closeQuietly(c);
            }
        } finally {
            scope.close();
        }
    }
}
