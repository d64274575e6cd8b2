package optlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import optlab.experiments.analysis.PowerLawFit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

class ScalingFigureTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesPointsCurveAndFitsWithSlopesInTheLegend() throws Exception {
        double[] g = {1e-2, 1e-1, 1, 10, 100};
        double[] eta = {1e-4, 1e-2, 1, 10, 100};
        PowerLawFit fit = PowerLawFit.fit(new double[] {1e-2, 1e-1, 1}, new double[] {1e-4, 1e-2, 1}, 0.95);
        List<Path> files = ScalingFigure.write(tmp.resolve("s"), "scaling", "γ", "η",
                List.of(ScalingSeries.points("measured", g, eta), ScalingSeries.curve("model", g, eta)),
                List.of(new FitLine("small", fit)));
        assertEquals(List.of(tmp.resolve("s.png"), tmp.resolve("s.svg")), files);
        assertTrue(Files.size(files.get(0)) > 5000);
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        NodeList texts = f.newDocumentBuilder().parse(files.get(1).toFile()).getElementsByTagName("text");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < texts.getLength(); i++) {
            all.append(texts.item(i).getTextContent().strip()).append('\n');
        }
        String s = all.toString();
        assertTrue(s.contains("log10 γ") && s.contains("log10 η") && s.contains("measured") && s.contains("model"), s);
        assertTrue(s.contains("small: slope 2.000 ± 0.000 (95% CI, n=3"), s);
    }

    @Test
    void rejectsPointsLogAxesCannotShow() {
        PlotException e = assertThrows(PlotException.class,
                () -> ScalingSeries.points("bad", new double[] {1, 2}, new double[] {1, 0}));
        assertTrue(e.getMessage().contains("'bad' point 1"), e.getMessage());
        assertThrows(PlotException.class, () -> ScalingSeries.points("n", new double[] {1}, new double[] {1, 2}));
        assertThrows(PlotException.class, () -> ScalingFigure.write(tmp.resolve("x"), "t", "x", "y", List.of(), List.of()));
    }
}
