/**
 * How parameters move: optimizers with torch.optim's names, defaults and formulas ({@link
 * optlab.optim.SGD}, {@link optlab.optim.Adagrad}, {@link optlab.optim.RMSprop}, {@link optlab.optim.Adam},
 * {@link optlab.optim.AdamW}), each an immutable value composed of transforms, with explicit
 * {@link optlab.optim.OptimizerState}; spec strings ({@link optlab.optim.Optimizers}); parameter groups
 * ({@link optlab.optim.ParamGroups}, e.g. {@code adamw:lr=1e-3,weight_decay=0.05;no_decay=bias|norm}); gradient
 * clipping ({@link optlab.optim.GradClip}). Parameters and gradients are flat contiguous blocks.
 */
package optlab.optim;
