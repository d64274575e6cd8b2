package optlab.optim;

import java.util.List;
import optlab.tensor.Tensor;

/**
 * What an optimizer may know of the block it steps besides the values: the named tensors in it (for
 * parameter groups) and structure a rule may ask for at {@link Optimizer#init}, such as
 * Path-SGD's {@link PathStructure}. A model provides one (optlab.models' {@code Model.paramSpace()}); a bare
 * tensor is a space of one unnamed range.
 */
public interface ParamSpace {

    /** The flat parameter block (contiguous). */
    Tensor values();

    /** The named tensors, in block order, covering the block without gaps. */
    List<ParamRange> ranges();

    /**
     * Whether {@link #ranges()} carries the model's names and kinds. False for a bare tensor, whose one range
     * ("params", "weight") is a placeholder that parameter-group selectors must not match.
     */
    default boolean named() {
        return true;
    }

    /**
     * The network's path structure (Path-SGD's κ), or an {@link IllegalArgumentException} naming the part of the
     * model that has none. Only Path-SGD asks, at init.
     */
    default PathStructure pathStructure() {
        throw new IllegalArgumentException("this parameter block has no path structure (it is a bare tensor,"
                + " not a network of linear/conv layers, ReLU and pooling)");
    }

    /** A bare block: one unnamed range (a placeholder named "params" of kind "weight"), no structure. */
    static ParamSpace of(Tensor values) {
        return new BlockSpace(values, List.of(new ParamRange("params", "weight", 0, values.numel())), false);
    }

    /** A block with these named tensors (in block order, covering it, as {@link #ranges()} says), no structure. */
    static ParamSpace of(Tensor values, List<ParamRange> ranges) {
        return new BlockSpace(values, ranges, true);
    }
}
