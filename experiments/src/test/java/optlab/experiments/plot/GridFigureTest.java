package optlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A grid of panels: size, texts, one legend entry per label, readable log ticks. */
class GridFigureTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void twoByTwoGridWithSharedLegendAndLogTicks() throws Exception {
        double[] x = {0, 1, 2, 3};
        GridFigure.Series a = new GridFigure.Series("alpha", x, new double[] {2.3, 1.1, 0.6, 0.31});
        GridFigure.Series b = new GridFigure.Series("beta", x, new double[] {2.3, 1.5, 0.9, 0.5});
        List<GridFigure.Panel> panels = List.of(
                new GridFigure.Panel("top left", "sub", "epoch", "loss", true, List.of(a, b)),
                new GridFigure.Panel("top right", null, "epoch", "error", false, List.of(b, a)),
                new GridFigure.Panel("bottom left", null, "epoch", "loss", true, List.of(a)),
                new GridFigure.Panel("bottom right", null, "epoch", "error", false, List.of()));
        List<Path> files = GridFigure.write("The title", 2, panels, tmp.resolve("fig"), EnumSet.allOf(FigureFormat.class), 300, 200);
        assertEquals(List.of(tmp.resolve("fig.png"), tmp.resolve("fig.svg")), files);
        BufferedImage png = ImageIO.read(files.get(0).toFile());
        assertEquals(600, png.getWidth());
        assertEquals(44 + 400 + 40, png.getHeight());
        String svg = Files.readString(files.get(1));
        for (String t : List.of("The title", "top left", "sub", "bottom right", "loss (log)")) {
            assertTrue(svg.contains(">" + t + "<"), t);
        }
        // The legend names each label once; the log axis labels 0.3 .. 2 (one decade: every m·10^k).
        assertEquals(1, count(svg, ">alpha<"));
        assertEquals(1, count(svg, ">beta<"));
        for (String tick : List.of("0.4", "0.5", "1", "2")) {
            assertTrue(svg.contains(">" + tick + "<"), "tick " + tick);
        }
        assertThrows(PlotException.class, () -> GridFigure.write("t", 2, List.of(), tmp.resolve("none"),
                EnumSet.allOf(FigureFormat.class), 300, 200));
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
