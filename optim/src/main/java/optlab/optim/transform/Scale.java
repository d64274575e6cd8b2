package optlab.optim.transform;

/** u ← factor·u. With factor −1 this is torch's {@code maximize=True} (ascend instead of descend). */
public record Scale(double factor) implements Transform {
}
