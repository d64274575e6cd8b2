package optlab.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.models.Buffer;
import optlab.models.Model;
import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.TestModels;
import optlab.models.init.InitScheme;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zoo models: state_dict keys and shapes as PyTorch (nn.Sequential numbering, torchvision ResNet,
 * timm ViT), parameter counts as torch reports them, forward shapes on small configs, and spec errors.
 * Parameter declarations need no memory, so key checks run on unbuilt trees.
 */
class ZooTest {
    private static final Backend CPU = Backends.cpu(2);

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static Map<String, List<Integer>> shapes(Module m) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            out.put(e.getKey(), java.util.Arrays.stream(e.getValue().shape()).boxed().toList());
        }
        return out;
    }

    private static long count(Module m) {
        return m.namedParameters().values().stream().mapToLong(Parameter::numel).sum();
    }

    private static int[] forwardShape(String spec, int... input) {
        try (Model m = Model.build(Zoo.parse(spec), DType.F32, InitScheme.PYTORCH, 1); Scope s = Scope.open();
                Graph g = Graph.open(CPU, s)) {
            Variable y = m.forward(g, Variable.constant(TestModels.rand(s, DType.F32, 3, input)));
            g.backward(g.sum(y, false));
            assertTrue(java.util.Arrays.stream(m.gradients().toDoubleArray()).allMatch(Double::isFinite));
            return y.shape();
        }
    }

    @Test
    void mlpKeysFollowSequentialNumbering() {
        Map<String, List<Integer>> expect = new LinkedHashMap<>();
        expect.put("0.weight", List.of(4000, 784));
        expect.put("0.bias", List.of(4000));
        expect.put("2.weight", List.of(4000, 4000));
        expect.put("2.bias", List.of(4000));
        expect.put("4.weight", List.of(10, 4000));
        expect.put("4.bias", List.of(10));
        assertEquals(expect, shapes(Zoo.parse("mlp:784-4000-4000-10")));
        Map<String, List<Integer>> noBias = shapes(Zoo.parse("mlp:5-3-2,act=gelu,bias=false"));
        assertEquals(List.of("0.weight", "2.weight"), List.copyOf(noBias.keySet()));
        assertArrayEquals(new int[] {7, 2}, forwardShape("mlp:5-3-2,act=tanh", 7, 5));
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias"),
                List.copyOf(shapes(Zoo.parse("mlp:5-4-3-2,dropout=0.5")).keySet()));
        assertArrayEquals(new int[] {7, 2}, forwardShape("mlp:5-4-3-2,dropout=0.5", 7, 5));
    }

    @Test
    void cnnKeysAndShapes() {
        Map<String, List<Integer>> expect = new LinkedHashMap<>();
        expect.put("0.weight", List.of(8, 1, 3, 3));
        expect.put("0.bias", List.of(8));
        expect.put("3.weight", List.of(16, 8, 3, 3));
        expect.put("3.bias", List.of(16));
        expect.put("7.weight", List.of(32, 16 * 7 * 7));
        expect.put("7.bias", List.of(32));
        expect.put("9.weight", List.of(10, 32));
        expect.put("9.bias", List.of(10));
        assertEquals(expect, shapes(Zoo.parse("cnn:in=1x28x28,conv=8-16,fc=32,classes=10")));
        assertArrayEquals(new int[] {2, 5}, forwardShape("cnn:in=3x8x8,conv=4-6,classes=5,pool=avg,kernel=5", 2, 3, 8, 8));
    }

    @Test
    void resnet18HasTorchvisionKeysAndCount() {
        Module r = Zoo.parse("resnet:blocks=2-2-2-2,width=64,classes=10");
        // torchvision resnet18 (11,689,512) with a 3×3 stem (−7,680) and a 10-class fc (−507,870).
        assertEquals(11_173_962L, count(r));
        Map<String, List<Integer>> s = shapes(r);
        assertEquals(List.of(64, 3, 3, 3), s.get("conv1.weight"));
        assertEquals(List.of(64, 64, 3, 3), s.get("layer1.0.conv1.weight"));
        assertEquals(List.of(128, 64, 3, 3), s.get("layer2.0.conv1.weight"));
        assertEquals(List.of(128, 64, 1, 1), s.get("layer2.0.downsample.0.weight"));
        assertEquals(List.of(128), s.get("layer2.0.downsample.1.weight"));
        assertEquals(List.of(512, 512, 3, 3), s.get("layer4.1.conv2.weight"));
        assertEquals(List.of(10, 512), s.get("fc.weight"));
        assertEquals(62, s.size());
        List<String> keys = List.copyOf(s.keySet());
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "layer1.0.conv1.weight", "layer1.0.bn1.weight"),
                keys.subList(0, 5));
        Map<String, Buffer> buffers = r.namedBuffers();
        assertEquals(List.of(64), java.util.Arrays.stream(buffers.get("bn1.running_mean").shape()).boxed().toList());
        assertTrue(buffers.containsKey("layer3.0.downsample.1.num_batches_tracked"));
        assertEquals(20 * 3, buffers.size());
    }

    @Test
    void resnetSwitchesRemoveBatchNormAndSkips() {
        Map<String, List<Integer>> noBn = shapes(Zoo.parse("resnet:blocks=1-1-1,width=4,bn=false"));
        assertTrue(noBn.keySet().stream().noneMatch(k -> k.contains("bn")), noBn.keySet().toString());
        assertEquals(List.of(4), noBn.get("conv1.bias"));
        assertEquals(List.of(8), noBn.get("layer2.0.downsample.0.bias"));
        Map<String, List<Integer>> noSkip = shapes(Zoo.parse("resnet:blocks=1-1-1,width=4,skip=false"));
        assertTrue(noSkip.keySet().stream().noneMatch(k -> k.contains("downsample")), noSkip.keySet().toString());
        assertTrue(noSkip.containsKey("layer3.0.bn2.weight"));
        assertArrayEquals(new int[] {2, 10}, forwardShape("resnet:blocks=1-1-1,width=4", 2, 3, 8, 8));
        assertArrayEquals(new int[] {2, 3}, forwardShape("resnet:blocks=1-2,width=2,classes=3,in=1,bn=false,skip=false",
                2, 1, 6, 6));
    }

    @Test
    void vitHasTimmKeysAndCount() {
        int e = 192, p = 64, depth = 2, hidden = 768;
        Module v = Zoo.parse("vit:image=32,patch=4,dim=192,depth=2,heads=3,mlp=4,classes=10");
        Map<String, List<Integer>> s = shapes(v);
        assertEquals(List.of("cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias",
                "blocks.0.norm1.weight", "blocks.0.norm1.bias", "blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias",
                "blocks.0.attn.proj.weight", "blocks.0.attn.proj.bias", "blocks.0.norm2.weight", "blocks.0.norm2.bias",
                "blocks.0.mlp.fc1.weight", "blocks.0.mlp.fc1.bias", "blocks.0.mlp.fc2.weight", "blocks.0.mlp.fc2.bias"),
                List.copyOf(s.keySet()).subList(0, 16));
        assertEquals(List.of(1, 1 + p, e), s.get("pos_embed"));
        assertEquals(List.of(e, 3, 4, 4), s.get("patch_embed.proj.weight"));
        assertEquals(List.of(3 * e, e), s.get("blocks.1.attn.qkv.weight"));
        assertEquals(List.of(hidden, e), s.get("blocks.1.mlp.fc1.weight"));
        assertEquals(List.of(10, e), s.get("head.weight"));
        long perBlock = 2 * e + (3 * e * e + 3 * e) + (e * e + e) + 2 * e + (hidden * e + hidden) + (hidden * e + e);
        long expected = e + (1 + p) * e + (e * 48 + e) + depth * perBlock + 2 * e + (10 * e + 10);
        assertEquals(expected, count(v));
        assertArrayEquals(new int[] {2, 4}, forwardShape("vit:image=8,patch=4,dim=6,depth=2,heads=2,mlp=2,classes=4", 2, 3, 8, 8));
    }

    @Test
    void smallZooModelsPassGradientChecks() {
        for (String spec : List.of("vit:image=4,patch=2,dim=4,depth=1,heads=2,mlp=1.5,classes=3,in=1",
                "resnet:blocks=1-1,width=2,classes=2,in=1", "cnn:in=1x4x4,conv=2,fc=3,classes=2")) {
            try (Model m = TestModels.f64(Zoo.parse(spec), 5); Scope s = Scope.open()) {
                Tensor x = TestModels.rand(s, DType.F64, 2, 2, 1, 4, 4);
                TestModels.gradCheck(CPU, m, x);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp:784-x-10", "mlp:784", "cnn:in=1x28,conv=8", "cnn:conv=8", "resnet:blok=2",
            "resnet:width=-3", "vit:heads=5", "vit:image=30,patch=4", "transformer:x=1", "mlp784-10",
            "resnet:bn=maybe", "mlp:4-2,act=swish", "mlp:4-3-2,dropout=1", "resnet:width=4,width=8", "cnn:in=1x4x4,conv=8-8-8"})
    void badSpecsNameTheBadToken(String spec) {
        var e = assertThrows(IllegalArgumentException.class, () -> Zoo.parse(spec));
        assertTrue(e.getMessage().contains("model spec '" + spec + "'"), e.getMessage());
        String token = switch (spec) {
            case "mlp:784-x-10" -> "'x'";
            case "resnet:blok=2" -> "'blok'";
            case "resnet:width=-3" -> "'-3'";
            case "transformer:x=1" -> "'transformer'";
            case "resnet:bn=maybe" -> "'maybe'";
            case "mlp:4-2,act=swish" -> "'swish'";
            case "vit:heads=5" -> "heads 5";
            default -> "";
        };
        assertTrue(e.getMessage().contains(token), e.getMessage());
    }
}
