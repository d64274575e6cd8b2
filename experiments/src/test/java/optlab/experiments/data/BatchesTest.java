package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Batches: file order without shuffling, seeded per-epoch permutations, partial and dropped last batches. */
class BatchesTest {
    /**
     * A dataset whose sample i is the [2, 3] block 10·i + (0..5) and whose target is class i mod 7, so every
     * copied row can be traced back to its source.
     */
    static Dataset indexed(int n, DType dtype, Scope s) {
        Tensor x = s.empty(dtype, n, 2, 3), y = s.empty(dtype, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x.setFlat(6L * i + j, 10.0 * i + j);
            }
            y.setFlat(i, i % 7);
        }
        return new Dataset("indexed", x, y, 7);
    }

    /** The sample indices an epoch visits, decoded from the copied rows (checking each row is intact). */
    static List<Integer> epoch(Batches b, int epoch, Tensor x, Tensor y, List<Integer> sizes) {
        List<Integer> seen = new ArrayList<>();
        b.startEpoch(epoch);
        for (int k; (k = b.next(x, y)) > 0; ) {
            sizes.add(k);
            for (int r = 0; r < k; r++) {
                int i = (int) (x.get(r, 0, 0) / 10);
                for (int j = 0; j < 6; j++) {
                    assertEquals(10.0 * i + j, x.getFlat(6L * r + j), "row " + r + " element " + j);
                }
                assertEquals(i % 7, y.get(r), "target of sample " + i);
                seen.add(i);
            }
        }
        return seen;
    }

    static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void noShuffleVisitsFileOrderWithAPartialLastBatch(DType dtype) {
        for (int n : new int[] {1, 17, 33, 127}) {
            try (Scope s = Scope.open()) {
                Batches b = new Batches(indexed(n, dtype, s), 8, Shuffle.off(), false);
                Tensor x = b.featureBuffer(s), y = b.targetBuffer(s);
                List<Integer> sizes = new ArrayList<>();
                assertEquals(range(n), epoch(b, 0, x, y, sizes), "n " + n);
                assertEquals(b.batchesPerEpoch(), sizes.size());
                assertEquals((n + 7) / 8, sizes.size());
                assertEquals(n % 8 == 0 ? 8 : n % 8, sizes.get(sizes.size() - 1));
                assertEquals(range(n), epoch(b, 5, x, y, new ArrayList<>()), "every epoch in file order");
            }
        }
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        try (Scope s = Scope.open()) {
            Batches b = new Batches(indexed(17, DType.F32, s), 8, Shuffle.seeded(3), true);
            Tensor x = b.featureBuffer(s), y = b.targetBuffer(s);
            List<Integer> sizes = new ArrayList<>();
            List<Integer> seen = epoch(b, 0, x, y, sizes);
            assertEquals(List.of(8, 8), sizes);
            assertEquals(2, b.batchesPerEpoch());
            assertEquals(16, seen.stream().distinct().count());
            Batches tooBig = new Batches(indexed(5, DType.F32, s), 8, Shuffle.off(), true);
            assertEquals(0, tooBig.batchesPerEpoch());
            assertEquals(0, tooBig.next(tooBig.featureBuffer(s), tooBig.targetBuffer(s)));
        }
    }

    @Test
    void shuffledEpochsArePermutationsFixedBySeedAndEpoch() {
        int n = 1009;
        try (Scope s = Scope.open()) {
            Dataset d = indexed(n, DType.F64, s);
            Batches a = new Batches(d, 32, Shuffle.seeded(42), false), b = new Batches(d, 32, Shuffle.seeded(42), false);
            Batches other = new Batches(d, 32, Shuffle.seeded(43), false);
            Tensor x = a.featureBuffer(s), y = a.targetBuffer(s);
            List<Integer> a0 = epoch(a, 0, x, y, new ArrayList<>()), a1 = epoch(a, 1, x, y, new ArrayList<>());
            List<Integer> sorted = new ArrayList<>(a0);
            sorted.sort(null);
            assertEquals(range(n), sorted, "an epoch visits every sample once");
            assertNotEquals(range(n), a0, "shuffled");
            assertNotEquals(a0, a1, "each epoch has its own order");
            assertEquals(a1, epoch(b, 1, x, y, new ArrayList<>()), "same seed, same epoch, same order (no replay needed)");
            assertEquals(a0, epoch(b, 0, x, y, new ArrayList<>()));
            assertNotEquals(a0, epoch(other, 0, x, y, new ArrayList<>()), "another seed, another order");
        }
    }

    @Test
    void wrongBatchBuffersFailNamingShapes() {
        try (Scope s = Scope.open()) {
            Batches b = new Batches(indexed(10, DType.F32, s), 4, Shuffle.off(), false);
            Tensor y = b.targetBuffer(s);
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> b.next(s.empty(DType.F32, 4, 6), y)).getMessage();
            assertTrue(msg.contains("Batches.next: x") && msg.contains("[4, 2, 3]") && msg.contains("[4, 6]"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> b.next(b.featureBuffer(s), s.empty(DType.F64, 4))).getMessage();
            assertTrue(msg.contains("Batches.next: y") && msg.contains("F64[4]"), msg);
            Tensor strided = s.empty(DType.F32, 3, 4, 2).permute(1, 2, 0);
            msg = assertThrows(IllegalArgumentException.class, () -> b.next(strided, y)).getMessage();
            assertTrue(msg.contains("not contiguous"), msg);
            assertThrows(IllegalArgumentException.class, () -> new Batches(b.dataset(), 0, Shuffle.off(), false));
            assertFalse(Shuffle.off().enabled());
        }
    }

    @Test
    void splitsKeepTheTailFixedOrDrawItBySeed() {
        try (Scope s = Scope.open()) {
            Dataset d = indexed(100, DType.F32, s);
            Split last = Split.last(d, 30);
            assertEquals(70, last.train().size());
            assertEquals(30, last.validation().size());
            assertEquals(700.0, last.validation().features().get(0, 0, 0), "validation starts at sample 70");
            assertTrue(last.validation().features().segment() == d.features().segment(), "a view, not a copy");

            Split a = Split.seeded(d, 30, 9, s), b = Split.seeded(d, 30, 9, s), c = Split.seeded(d, 30, 10, s);
            List<Integer> va = ids(a.validation()), ta = ids(a.train());
            assertEquals(va, ids(b.validation()), "same seed, same split");
            assertNotEquals(va, ids(c.validation()), "another seed, another split");
            List<Integer> all = new ArrayList<>(va);
            all.addAll(ta);
            all.sort(null);
            assertEquals(range(100), all, "the parts are disjoint and cover the set");
            assertEquals(va.stream().sorted().toList(), va, "each part keeps file order");
            assertEquals(7, a.train().numClasses());
            assertThrows(IllegalArgumentException.class, () -> Split.last(d, 101));
        }
    }

    private static List<Integer> ids(Dataset d) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            int id = (int) (d.features().get(i, 0, 0) / 10);
            assertEquals(id % 7, d.targets().get(i));
            assertEquals(10.0 * id + 5, d.features().get(i, 1, 2));
            out.add(id);
        }
        return out;
    }

    @Test
    void epochStreamsRunAcrossEpochBoundariesWithFullBatches() {
        try (Scope s = Scope.open()) {
            Dataset d = indexed(10, DType.F32, s);
            EpochStream plain = new EpochStream(d, Shuffle.off());
            Tensor x = s.empty(DType.F32, 4, 2, 3), y = s.empty(DType.F32, 4);
            List<Integer> seen = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                plain.next(x, y);
                for (int r = 0; r < 4; r++) {
                    int i = (int) (x.get(r, 0, 0) / 10);
                    assertEquals(i % 7, y.get(r));
                    seen.add(i);
                }
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
            assertEquals(2, plain.epoch());

            // Shuffled: the stream's epochs are exactly the epochs Batches visits with the same seed.
            EpochStream shuffled = new EpochStream(d, Shuffle.seeded(4));
            Batches batches = new Batches(d, 5, Shuffle.seeded(4), false);
            Tensor x5 = batches.featureBuffer(s), y5 = batches.targetBuffer(s);
            List<Integer> expected = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                expected.addAll(epoch(batches, e, x5, y5, new ArrayList<>()));
            }
            List<Integer> streamed = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                shuffled.next(x, y);
                for (int r = 0; r < 4 && streamed.size() < 30; r++) {
                    streamed.add((int) (x.get(r, 0, 0) / 10));
                }
            }
            assertEquals(expected, streamed);
        }
    }

    @Test
    void datasetRejectsMismatchedTargets() {
        try (Scope s = Scope.open()) {
            Tensor x = s.empty(DType.F32, 4, 3);
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> new Dataset("d", x, s.empty(DType.F32, 5), 2)).getMessage();
            assertTrue(msg.contains("[5]") && msg.contains("[4, 3]"), msg);
            assertThrows(IllegalArgumentException.class, () -> new Dataset("d", x, s.empty(DType.F64, 4), 2));
            assertThrows(IllegalArgumentException.class, () -> new Dataset("d", x, s.empty(DType.F32, 4), 0));
            assertArrayEquals(new int[] {1}, new Dataset("d", x, s.empty(DType.F32, 4, 1), 0).targetShape());
            assertEquals(Arrays.asList(3), Arrays.stream(new Dataset("d", x, s.empty(DType.F32, 4), 2).sampleShape())
                    .boxed().toList());
        }
    }
}
