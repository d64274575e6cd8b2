/**
 * What is trained: a {@link optlab.models.Module} tree declares named parameters and buffers with
 * PyTorch state_dict names; a {@link optlab.models.Model} gives them memory, all parameters in one
 * contiguous {@link optlab.models.ParameterBlock} (gradients in a second of the same layout), so
 * optimizers in {@code optlab.optim} step over flat memory.
 */
package optlab.models;
