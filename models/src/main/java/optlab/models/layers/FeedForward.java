package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/** A transformer's position-wise MLP, timm's Mlp: fc2(GELU(fc1(x))), fc1 = Linear(dim, hidden), fc2 = Linear(hidden, dim). */
public final class FeedForward extends Module {
    private final Linear fc1;
    private final Activation act;
    private final Linear fc2;

    public FeedForward(int dim, int hidden) {
        fc1 = child("fc1", new Linear(dim, hidden));
        act = child("act", Activation.gelu());
        fc2 = child("fc2", new Linear(hidden, dim));
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        return fc2.forward(g, act.forward(g, fc1.forward(g, x)));
    }
}
