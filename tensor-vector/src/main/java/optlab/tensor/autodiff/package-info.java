/**
 * Reverse-mode automatic differentiation over a closed set of primitives.
 *
 * <p>A {@link optlab.tensor.autodiff.Graph} is a tape: every primitive applied through it runs
 * forward at once (on the graph's {@link optlab.tensor.backend.Backend}, outputs in the graph's
 * scope) and is recorded when an input needs a gradient. {@code backward(loss)} walks the tape in
 * reverse and adds into each parameter's gradient. Each primitive (package {@code ops}, not exported)
 * is one small class with its forward and its chain rule; {@link optlab.tensor.autodiff.Functions}
 * builds layers from them. {@link optlab.tensor.autodiff.GradCheck} compares any function's gradients
 * with finite differences.
 *
 * <pre>{@code
 * Variable w = Variable.parameter(wValue, wGrad), b = Variable.parameter(bValue, bGrad);
 * try (Graph g = Graph.open(backend, pool)) {          // one graph per step, buffers reused
 *     Variable logits = Functions.linear(g, Variable.constant(x), w, b);
 *     Variable loss = g.crossEntropy(logits, labels);
 *     g.backward(loss);                                // wGrad += ∂loss/∂w, bGrad += ∂loss/∂b
 * }
 * }</pre>
 */
package optlab.tensor.autodiff;
