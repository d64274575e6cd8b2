package optlab.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.models.init.Role;
import optlab.models.path.PathNetworks;
import optlab.optim.ParamRange;
import optlab.optim.ParamSpace;
import optlab.optim.PathStructure;
import optlab.tensor.Tensor;

/**
 * A model's parameter block as an optimizer sees it: the flat values, one {@link ParamRange} per parameter
 * (state-dict name, role as kind: "weight", "bias", "norm" for normalization scales and shifts, "embedding",
 * ...), and the path structure for rules that ask ({@link PathNetworks}, built on demand so models without
 * one cost nothing until Path-SGD asks).
 */
public final class ModelSpace implements ParamSpace {
    private final Model model;
    private final int[] sampleShape;
    private final List<ParamRange> ranges;

    private ModelSpace(Model model, int[] sampleShape) {
        this.model = model;
        this.sampleShape = sampleShape == null ? null : sampleShape.clone();
        List<ParamRange> r = new ArrayList<>();
        ParameterBlock block = model.parameterBlock();
        for (var e : model.namedParameters().entrySet()) {
            r.add(new ParamRange(e.getKey(), kind(e.getValue().role()), block.offset(e.getKey()), e.getValue().numel()));
        }
        this.ranges = List.copyOf(r);
    }

    /** The model's space; a conv net's path structure infers its input size (see {@link PathNetworks#of(Model)}). */
    public static ModelSpace of(Model model) {
        return new ModelSpace(model, null);
    }

    /** The model's space for samples of {@code sampleShape} (C, H, W for a conv net; anything else is flat). */
    public static ModelSpace of(Model model, int[] sampleShape) {
        return new ModelSpace(model, sampleShape);
    }

    /** The kind a parameter's role gives: normalization scale and shift are both "norm". */
    static String kind(Role role) {
        return switch (role) {
            case NORM_SCALE, NORM_SHIFT -> "norm";
            default -> role.name().toLowerCase(Locale.ROOT);
        };
    }

    @Override
    public Tensor values() {
        return model.parameters();
    }

    @Override
    public List<ParamRange> ranges() {
        return ranges;
    }

    /** {@link PathNetworks#of}: throws IllegalArgumentException naming the first module without a path structure. */
    @Override
    public PathStructure pathStructure() {
        return sampleShape == null || sampleShape.length != 3 ? PathNetworks.of(model) : PathNetworks.of(model, sampleShape);
    }
}
