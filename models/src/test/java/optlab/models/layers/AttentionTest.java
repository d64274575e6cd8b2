package optlab.models.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import optlab.models.Model;
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

/**
 * Attention values against a plain-loop oracle written from the timm definition (qkv rows: q for all
 * heads, then k, then v; head h uses columns h·D..h·D+D−1); gradient checks cannot catch a wrong head
 * split, since any consistent permutation differentiates correctly.
 */
class AttentionTest {
    private static final Backend CPU = Backends.cpu(2);

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Test
    void matchesTheDefinitionHeadByHead() {
        int b = 2, t = 3, e = 6, heads = 3, d = e / heads;
        MultiHeadSelfAttention attn = new MultiHeadSelfAttention(e, heads);
        try (Model m = Model.build(attn, DType.F64, InitScheme.PYTORCH, 8); Scope s = Scope.open();
                Graph g = Graph.noGrad(CPU, s)) {
            Tensor x = TestModels.rand(s, DType.F64, 1, b, t, e);
            Tensor y = m.forward(g, Variable.constant(x)).value();
            Tensor wq = attn.qkv().weight().value(), bq = attn.qkv().bias().value();
            Tensor wp = attn.proj().weight().value(), bp = attn.proj().bias().value();
            for (int n = 0; n < b; n++) {
                double[][] qkv = new double[t][3 * e];
                for (int i = 0; i < t; i++) {
                    for (int o = 0; o < 3 * e; o++) {
                        double sum = bq.get(o);
                        for (int c = 0; c < e; c++) {
                            sum += wq.get(o, c) * x.get(n, i, c);
                        }
                        qkv[i][o] = sum;
                    }
                }
                double[][] concat = new double[t][e];
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < t; i++) {
                        double[] score = new double[t];
                        double max = Double.NEGATIVE_INFINITY, z = 0;
                        for (int j = 0; j < t; j++) {
                            double dot = 0;
                            for (int k = 0; k < d; k++) {
                                dot += qkv[i][h * d + k] * qkv[j][e + h * d + k];
                            }
                            score[j] = dot / Math.sqrt(d);
                            max = Math.max(max, score[j]);
                        }
                        for (int j = 0; j < t; j++) {
                            score[j] = Math.exp(score[j] - max);
                            z += score[j];
                        }
                        for (int k = 0; k < d; k++) {
                            double sum = 0;
                            for (int j = 0; j < t; j++) {
                                sum += score[j] / z * qkv[j][2 * e + h * d + k];
                            }
                            concat[i][h * d + k] = sum;
                        }
                    }
                }
                for (int i = 0; i < t; i++) {
                    for (int o = 0; o < e; o++) {
                        double sum = bp.get(o);
                        for (int c = 0; c < e; c++) {
                            sum += wp.get(o, c) * concat[i][c];
                        }
                        assertEquals(sum, y.get(n, i, o), 1e-12, "batch " + n + ", token " + i + ", feature " + o);
                    }
                }
            }
        }
    }

    @Test
    void classTokenComesFirstAndPositionsAreAdded() {
        // A ViT front end with a zero conv: tokens are exactly [cls; 0...] + pos_embed.
        var vit = new optlab.models.zoo.VisionTransformer(1, 4, 2, 3, 1, 1, 1.0, 2);
        try (Model m = Model.build(vit, DType.F64, InitScheme.PYTORCH, 2); Scope s = Scope.open();
                Graph g = Graph.noGrad(CPU, s)) {
            var pe = (PatchEmbedding) vit.children().get("patch_embed");
            Tensor cls = m.parameter("cls_token").value(), pos = m.parameter("pos_embed").value();
            m.parameter("patch_embed.proj.weight").value().copyFrom(s.zeros(DType.F64, 3, 1, 2, 2));
            m.parameter("patch_embed.proj.bias").value().copyFrom(s.zeros(DType.F64, 3));
            Tensor tokens = pe.tokens(g, Variable.constant(TestModels.rand(s, DType.F64, 1, 2, 1, 4, 4)),
                    m.parameter("cls_token"), m.parameter("pos_embed")).value();
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 5; k++) {
                    for (int c = 0; c < 3; c++) {
                        double expect = (k == 0 ? cls.get(0, 0, c) : 0) + pos.get(0, k, c);
                        assertEquals(expect, tokens.get(n, k, c), 0);
                    }
                }
            }
        }
    }
}
