package optlab.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import optlab.optim.schedule.CompoundInverse;
import optlab.optim.schedule.Constant;
import optlab.optim.schedule.CosineAnnealing;
import optlab.optim.schedule.InverseTime;
import optlab.optim.schedule.LinearWarmup;
import optlab.optim.schedule.Schedule;
import optlab.optim.schedule.StepLR;

/**
 * The learning-rate schedule of a run, over the update count t = 0, 1, ... and starting from the optimizer's lr:
 * constant, step (StepLR: step_size, gamma), cosine (t_max, default the run's length; eta_min), inverse_time
 * (decay), compound_inverse (Kurbiel and Khaleghian's per-epoch α ← α/(1 + decay·e): decay, default 0.01, and
 * steps_per_epoch, required), each optionally after a linear warm-up of warmup_steps from warmup_start_factor·lr.
 */
public record ScheduleSpec(String name, long stepSize, double gamma, long tMax, double etaMin, double decay,
        long warmupSteps, double warmupStartFactor) {
    /** Kurbiel and Khaleghian's per-epoch decay constant. */
    static final double COMPOUND_DECAY = 0.01;


    /** torch.optim.lr_scheduler.LinearLR's default start factor. */
    static final double WARMUP_START = 1.0 / 3;

    public static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", 0, 0, 0, 0, 0, 0, WARMUP_START);

    /** The schedule for base learning rate {@code lr} over a run of {@code totalSteps} updates. */
    public Schedule build(double lr, long totalSteps) {
        Schedule s = switch (name) {
            case "constant" -> new Constant(lr);
            case "step" -> new StepLR(lr, stepSize, gamma);
            case "cosine" -> new CosineAnnealing(lr, tMax > 0 ? tMax : Math.max(1, totalSteps), etaMin);
            case "inverse_time" -> new InverseTime(lr, decay);
            case "compound_inverse" -> new CompoundInverse(lr, decay, stepSize);
            default -> throw new IllegalStateException("unreachable: schedule " + name);
        };
        return warmupSteps > 0 ? new LinearWarmup(s, warmupSteps, warmupStartFactor) : s;
    }

    static ScheduleSpec parse(JsonNode node, String path) {
        if (node == null) {
            return CONSTANT;
        }
        if (node.isTextual()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("name", node.asText());
            node = o;
        }
        JsonFields f = new JsonFields(node, path);
        String name = f.requiredString("name");
        long stepSize = 0, tMax = 0;
        double gamma = 0, etaMin = 0, decay = 0;
        switch (name) {
            case "constant" -> {
            }
            case "step" -> {
                stepSize = f.integer("step_size", 0, 1, Long.MAX_VALUE);
                if (stepSize == 0) {
                    throw new ConfigException(f.at("step_size"), "is required for the step schedule");
                }
                gamma = f.real("gamma", 0.1, 0, 1e6);
            }
            case "cosine" -> {
                tMax = f.integer("t_max", 0, 0, Long.MAX_VALUE);
                etaMin = f.real("eta_min", 0, 0, 1e6);
            }
            case "inverse_time" -> decay = f.real("decay", 0, 0, 1e6);
            case "compound_inverse" -> {
                // The epoch length is kept in stepSize (a StepLR-like period in updates).
                stepSize = f.integer("steps_per_epoch", 0, 1, Long.MAX_VALUE);
                if (stepSize == 0) {
                    throw new ConfigException(f.at("steps_per_epoch"), "is required for the compound_inverse schedule");
                }
                decay = f.real("decay", COMPOUND_DECAY, 0, 1e6);
            }
            default -> throw new ConfigException(f.at("name"), "unknown schedule '" + name
                    + "' (known: constant, step, cosine, inverse_time, compound_inverse)");
        }
        long warmup = f.integer("warmup_steps", 0, 0, Long.MAX_VALUE);
        double start = f.real("warmup_start_factor", WARMUP_START, Double.MIN_VALUE, 1);
        f.finish();
        // Without warm-up the factor means nothing: keep the default so equal runs have equal specs.
        return new ScheduleSpec(name, stepSize, gamma, tMax, etaMin, decay, warmup, warmup > 0 ? start : WARMUP_START);
    }

    JsonNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        switch (name) {
            case "step" -> o.put("step_size", stepSize).put("gamma", gamma);
            case "cosine" -> o.put("t_max", tMax).put("eta_min", etaMin);
            case "inverse_time" -> o.put("decay", decay);
            case "compound_inverse" -> o.put("steps_per_epoch", stepSize).put("decay", decay);
            default -> {
            }
        }
        if (warmupSteps > 0) {
            o.put("warmup_steps", warmupSteps).put("warmup_start_factor", warmupStartFactor);
        }
        return o;
    }
}
