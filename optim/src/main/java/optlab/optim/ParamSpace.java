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
     * The network's path structure (Path-SGD's κ), or an {@link IllegalArgumentException} naming the part of the
     * model that has none. Only Path-SGD asks, at init.
     */
    default PathStructure pathStructure() {
        throw new IllegalArgumentException("this parameter block has no path structure (it is a bare tensor,"
                + " not a network of linear/conv layers, ReLU and pooling)");
    }

    /** A bare block: one range named "params" of kind "weight", no structure. */
    static ParamSpace of(Tensor values) {
        List<ParamRange> one = List.of(new ParamRange("params", "weight", 0, values.numel()));
        return new ParamSpace() {
            @Override
            public Tensor values() {
                return values;
            }

            @Override
            public List<ParamRange> ranges() {
                return one;
            }
        };
    }
}
