package optlab.tensor.backend;

/**
 * Elementwise functions of two tensors, {@code op(a, b)}. The {@code *_BACKWARD} ops are the chain
 * rules of the unary activations: {@code a} is the activation's input (RELU, GELU, GELU_TANH) or its
 * output (TANH, SIGMOID), {@code b} the upstream gradient. GREATER yields 1 where a &gt; b, else 0.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, POW, GREATER,
    RELU_BACKWARD, GELU_BACKWARD, GELU_TANH_BACKWARD, TANH_BACKWARD, SIGMOID_BACKWARD
}
