package optlab.experiments.sweep;

import java.nio.file.Path;
import java.util.List;

/** What a recipe run produced: its sweep's outcome and the files it wrote (figures, summaries). */
public interface RecipeOutcome {
    SweepReport sweep();

    List<Path> files();
}
