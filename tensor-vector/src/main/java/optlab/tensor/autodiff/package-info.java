/** Reverse-mode automatic differentiation over a closed set of primitives. */
package optlab.tensor.autodiff;
