package optlab.tensor.backend;

/** Elementwise functions of one tensor. GELU is the exact erf form (PyTorch's default); GELU_TANH its tanh approximation. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, SQUARE, RECIPROCAL, RELU, GELU, GELU_TANH, TANH, SIGMOID
}
