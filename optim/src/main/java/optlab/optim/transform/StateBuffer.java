package optlab.optim.transform;

/** A flat state buffer (one value per parameter) with torch.optim's state name and its initial value. */
public record StateBuffer(String name, double initialValue) {
}
