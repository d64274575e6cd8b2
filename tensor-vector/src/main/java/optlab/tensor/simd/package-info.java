/**
 * The vector width every vectorized loop uses ({@link optlab.tensor.simd.Simd}, the one reading of
 * {@code -Doptlab.vector}) and the lane helpers built on it: fixed-order lane sums and masks
 * ({@code LanesF32/F64}) and exp, log, tanh and pow from lane-wise IEEE operations
 * ({@code VectorMathF32/F64}), bitwise the same in every JIT tier. Shared by tensor's CPU kernels and,
 * through a qualified export, optlab.optim's update loops; not API.
 */
package optlab.tensor.simd;
