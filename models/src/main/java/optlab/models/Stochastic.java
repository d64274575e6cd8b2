package optlab.models;

/**
 * A module that draws random numbers in its forward pass (Dropout). Its owning {@link Model} reseeds
 * it before every training-mode forward from (model seed, module index, step), so a run is
 * reproducible and a resumed run draws the same masks.
 */
public interface Stochastic {
    void reseed(long seed);
}
