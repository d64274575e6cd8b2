package optlab.models.io;

import optlab.tensor.DType;

/**
 * An element type as a safetensors header names it. F32 and F64 load as themselves; I64 (PyTorch stores
 * counters such as BatchNorm's {@code num_batches_tracked} so) loads as F64, exact below 2^53. The other
 * types are recognised so that the error can name them, but not loaded.
 */
enum StoredType {
    F32(4, DType.F32),
    F64(8, DType.F64),
    I64(8, DType.F64),
    F16(2, null),
    BF16(2, null),
    I32(4, null),
    I16(2, null),
    I8(1, null),
    U8(1, null),
    BOOL(1, null),
    F8_E4M3(1, null),
    F8_E5M2(1, null),
    U16(2, null),
    U32(4, null),
    U64(8, null);

    final int byteSize;
    /** The dtype this loads as, or null when optlab cannot load it. */
    final DType loadsAs;

    StoredType(int byteSize, DType loadsAs) {
        this.byteSize = byteSize;
        this.loadsAs = loadsAs;
    }

    /** The stored type named {@code name}, or null when the format has no such type. */
    static StoredType named(String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static StoredType of(DType dtype) {
        return dtype == DType.F32 ? F32 : F64;
    }
}
