package optlab.models;

import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/** Builds the scalar (0-d) loss of a fixed batch in a graph, running the model's forward in it. */
@FunctionalInterface
public interface BatchLoss {
    Variable loss(Graph g);
}
