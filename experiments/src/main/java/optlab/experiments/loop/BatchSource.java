package optlab.experiments.loop;

import optlab.experiments.data.Batches;
import optlab.experiments.data.DataStream;
import optlab.tensor.Tensor;

/**
 * Where a run's minibatches come from: the only thing (beside the evaluation schedule) in which an offline run
 * (epochs of a finite set) and an online one (an endless stream) differ.
 */
public interface BatchSource {

    /** Fills {@code x} [B, ...] and {@code y} with the next batch; returns its size (≤ B for a final partial batch). */
    int next(Tensor x, Tensor y);

    /** The 0-based epoch of the batch last returned (0 for a stream). */
    int epoch();

    /** Whether the batch last returned was the first of a new epoch (after the first), so epoch-end probes run first. */
    boolean epochStarted();

    /** Batches per epoch, or 0 for a stream. */
    long batchesPerEpoch();

    /**
     * Positions the source as if {@code drawn} batches had been returned since the start, so that a resumed run
     * draws the batches an uninterrupted one would (epoch-end signals included). Sources whose state is not a
     * function of that count (streams) cannot resume.
     */
    default void seek(long drawn) {
        throw new UnsupportedOperationException("this batch source (" + getClass().getSimpleName() + ") cannot resume");
    }

    /** Epochs of a finite set, reshuffled per epoch by {@link Batches}. */
    static BatchSource epochs(Batches batches) {
        return new BatchSource() {
            private int epoch;
            private boolean started;

            @Override
            public int next(Tensor x, Tensor y) {
                int b = batches.next(x, y);
                started = b == 0;
                if (started) {
                    batches.startEpoch(++epoch);
                    b = batches.next(x, y);
                }
                return b;
            }

            @Override
            public void seek(long drawn) {
                if (drawn < 0) {
                    throw new IllegalArgumentException("BatchSource.seek: negative batch count " + drawn);
                }
                started = false;
                if (drawn == 0) {
                    epoch = 0;
                    batches.startEpoch(0);
                    return;
                }
                // Batch `drawn` of an uninterrupted run is the first of its epoch only after the previous epoch's end
                // was seen (next() returned 0): so stop at the end of epoch (drawn-1)/per, not at the next one's start.
                long per = batches.batchesPerEpoch();
                epoch = Math.toIntExact((drawn - 1) / per);
                batches.startEpoch(epoch);
                batches.skip(Math.toIntExact(drawn - epoch * per));
            }

            @Override
            public int epoch() {
                return epoch;
            }

            @Override
            public boolean epochStarted() {
                return started;
            }

            @Override
            public long batchesPerEpoch() {
                return batches.batchesPerEpoch();
            }
        };
    }

    /**
     * The same batch every step, for step benchmarks: the loop's buffers already hold it, so nothing is copied (pass
     * the batch itself as the loop's x and y).
     */
    static BatchSource fixed() {
        return (Endless) (x, y) -> x.dim(0);
    }

    /** An endless stream of fresh samples: always full batches, no epochs. */
    static BatchSource stream(DataStream stream) {
        return (Endless) (x, y) -> {
            stream.next(x, y);
            return x.dim(0);
        };
    }

    /** A source without epochs (a stream): only {@link #next} to write. */
    @FunctionalInterface
    interface Endless extends BatchSource {
        @Override
        default int epoch() {
            return 0;
        }

        @Override
        default boolean epochStarted() {
            return false;
        }

        @Override
        default long batchesPerEpoch() {
            return 0;
        }
    }
}
