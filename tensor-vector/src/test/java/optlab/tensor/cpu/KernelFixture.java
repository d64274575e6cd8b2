package optlab.tensor.cpu;

import optlab.tensor.Scope;
import optlab.tensor.backend.Backend;
import optlab.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** What a kernel test compares: the reference oracle, CPU backends on 1 and 2 threads, and a scope per test. */
abstract class KernelFixture {
    static final Backend REF = new ReferenceBackend();
    static CpuBackend cpu1;
    static CpuBackend cpu2;
    Scope scope;

    @BeforeAll
    static void startBackends() {
        cpu1 = new CpuBackend(1);
        cpu2 = new CpuBackend(2);
    }

    @AfterAll
    static void stopBackends() {
        cpu1.close();
        cpu2.close();
    }

    @BeforeEach
    void openScope() {
        scope = Scope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }
}
