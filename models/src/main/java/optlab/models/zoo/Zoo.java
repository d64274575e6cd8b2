package optlab.models.zoo;

import optlab.models.Model;
import optlab.models.Module;
import optlab.models.init.InitScheme;
import optlab.tensor.DType;

/**
 * Models from compact specs, {@code family:options}. Options are comma-separated key=value pairs
 * (the MLP's sizes come first, bare); lists are dash-separated; unknown keys and bad values are errors
 * that name the token. Defaults in brackets.
 * <pre>
 * mlp:784-4000-4000-10[,act=relu|tanh|gelu|sigmoid][,bias=true][,dropout=0]   sizes: input, hidden..., output
 * cnn:in=1x28x28,conv=32-64[,fc=128][,classes=10][,kernel=3][,pool=max|avg][,pad=same|valid]
 * resnet:blocks=2-2-2-2[,width=64][,classes=10][,in=3][,bn=true][,skip=true]
 * vit:image=32,patch=4[,dim=192][,depth=6][,heads=3][,mlp=4][,classes=10][,in=3]
 * distance:784-100-100-10                                            Distance layers (see DistanceNets)
 * rbf:784-100-10                                                     RBF hidden layers, Linear readout
 * mlp-distance:784-100-100-10[,act=relu|tanh|gelu|sigmoid][,bias=true]       MLP body, Distance output layer
 * </pre>
 * resnet's width is the first stage's width (doubling per stage; 64 = ResNet-18 widths) and the
 * number of dash-separated block counts is the number of stages; vit's mlp is the MLP ratio. cnn's pad
 * "same" keeps H and W through each conv, "valid" (no padding) shrinks them by kernel − 1; the γ
 * paper's CNN of width N on 28×28 images is cnn:in=1x28x28,conv=N-2N,fc=8N,pool=avg,pad=valid.
 */
public final class Zoo {
    private Zoo() {
    }

    /** {@link #parse} and {@link Model#build} in one call. */
    public static Model build(String spec, DType dtype, InitScheme init, long seed) {
        return Model.build(parse(spec), dtype, init, seed);
    }

    /** The module tree for {@code spec} (no memory yet). */
    public static Module parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("model spec '" + spec + "': expected family:options, e.g. mlp:784-100-10");
        }
        String family = spec.substring(0, colon).trim();
        String body = spec.substring(colon + 1).trim();
        return switch (family) {
            case "mlp" -> mlp(spec, body);
            case "cnn" -> cnn(spec, body);
            case "resnet" -> resnet(spec, body);
            case "vit" -> vit(spec, body);
            case "distance", "rbf", "mlp-distance" -> distance(spec, family, body);
            default -> throw new IllegalArgumentException("model spec '" + spec + "': unknown family '" + family
                    + "' (known: mlp, cnn, resnet, vit, distance, rbf, mlp-distance)");
        };
    }

    /** A body that starts with bare dash-separated sizes, then options: "784-100-10,act=tanh". */
    private record Sized(int[] sizes, String sizesText, ZooSpec options) {
        static Sized of(String spec, String body) {
            int comma = body.indexOf(',');
            String sizesText = comma < 0 ? body : body.substring(0, comma);
            ZooSpec a = new ZooSpec(spec, comma < 0 ? "" : body.substring(comma + 1));
            return new Sized(a.parseIntegers("sizes", sizesText), sizesText, a);
        }
    }

    private static Module mlp(String spec, String body) {
        Sized z = Sized.of(spec, body);
        ZooSpec a = z.options();
        int[] sizes = z.sizes();
        if (sizes.length < 2) {
            throw a.error("an MLP needs at least input and output sizes, got '" + z.sizesText() + "'");
        }
        String act = a.string("act", "relu");
        boolean bias = a.bool("bias", true);
        double dropout = a.real("dropout", 0);
        a.finish();
        try {
            return Mlp.of(sizes, act, bias, dropout);
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
    }

    /** distance, rbf and mlp-distance: sizes first, bare; only mlp-distance takes options (act, bias). */
    private static Module distance(String spec, String family, String body) {
        Sized z = Sized.of(spec, body);
        ZooSpec a = z.options();
        int[] sizes = z.sizes();
        boolean mlp = family.equals("mlp-distance");
        String act = mlp ? a.string("act", "relu") : null;
        boolean bias = mlp && a.bool("bias", true);
        a.finish();
        try {
            return switch (family) {
                case "distance" -> DistanceNets.distance(sizes);
                case "rbf" -> DistanceNets.rbf(sizes);
                default -> DistanceNets.mlpDistance(sizes, act, bias);
            };
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
    }

    private static Module cnn(String spec, String body) {
        ZooSpec a = new ZooSpec(spec, body);
        int[] in = a.image("in", null);
        int[] conv = a.integers("conv", null);
        int[] fc = a.integers("fc", new int[0]);
        int classes = a.integer("classes", 10);
        int kernel = a.integer("kernel", 3);
        String pool = a.string("pool", "max");
        String pad = a.string("pad", "same");
        a.finish();
        if (!pad.equals("same") && !pad.equals("valid")) {
            throw a.error("bad value '" + pad + "' for pad (must be same or valid)");
        }
        if (in == null || conv == null) {
            throw a.error("cnn needs in=CxHxW and conv=widths, e.g. cnn:in=1x28x28,conv=32-64");
        }
        try {
            return Cnn.of(in, conv, fc, classes, kernel, pool, pad.equals("same"));
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
    }

    private static Module resnet(String spec, String body) {
        ZooSpec a = new ZooSpec(spec, body);
        int[] blocks = a.integers("blocks", new int[] {2, 2, 2, 2});
        int width = a.integer("width", 64);
        int classes = a.integer("classes", 10);
        int in = a.integer("in", 3);
        boolean bn = a.bool("bn", true);
        boolean skip = a.bool("skip", true);
        a.finish();
        return new ResNet(in, blocks, width, classes, bn, skip);
    }

    private static Module vit(String spec, String body) {
        ZooSpec a = new ZooSpec(spec, body);
        int image = a.integer("image", 32);
        int patch = a.integer("patch", 4);
        int dim = a.integer("dim", 192);
        int depth = a.integer("depth", 6);
        int heads = a.integer("heads", 3);
        double mlp = a.real("mlp", 4);
        int classes = a.integer("classes", 10);
        int in = a.integer("in", 3);
        a.finish();
        try {
            return new VisionTransformer(in, image, patch, dim, depth, heads, mlp, classes);
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
    }
}
