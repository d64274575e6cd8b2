package optlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import optlab.experiments.analysis.PowerLawFit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class PhaseDiagramTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A synthetic sweep: η_max = γ0² below 1 and γ0^(2/3) above, two per decade, loss rising with η0 and γ0. */
    private static Sweep sweep() {
        List<PhaseCell> cells = new ArrayList<>();
        List<double[]> etaMax = new ArrayList<>();
        for (int gi = -6; gi <= 6; gi++) {
            double g = Math.pow(10, gi / 2.0);
            double boundary = g <= 1 ? g * g : Math.pow(g, 2.0 / 3);
            for (int ei = 4; ei >= -14; ei--) {
                double eta = Math.pow(10, ei / 2.0);
                if (eta > boundary * 1.0001) {
                    cells.add(PhaseCell.divergedAt(g, eta));
                } else {
                    cells.add(new PhaseCell(g, eta, 1.0 / (1 + eta / boundary) + 0.01 * gi, false));
                }
            }
            etaMax.add(new double[] {g, boundary}); // the exact boundary, so the fits are exact
        }
        double[] g = etaMax.stream().mapToDouble(p -> p[0]).toArray();
        double[] e = etaMax.stream().mapToDouble(p -> p[1]).toArray();
        List<FitLine> fits = List.of(new FitLine("γ0 ≤ 1", PowerLawFit.fitInRange(g, e, 0, 1, 0.95)),
                new FitLine("γ0 ≥ 1", PowerLawFit.fitInRange(g, e, 1, Double.POSITIVE_INFINITY, 0.95)));
        return new Sweep(cells, etaMax, fits);
    }

    private record Sweep(List<PhaseCell> cells, List<double[]> etaMax, List<FitLine> fits) {
    }

    @Test
    void writesPngAndSvgWithLegendColourBarAndFittedSlopes() throws Exception {
        Sweep s = sweep();
        List<Path> files = PhaseDiagram.write(tmp.resolve("out/phase"), "MLP L=3, MSE", "final test loss",
                s.cells(), s.etaMax(), s.fits());
        assertEquals(List.of(tmp.resolve("out/phase.png"), tmp.resolve("out/phase.svg")), files);

        BufferedImage png = ImageIO.read(files.get(0).toFile());
        assertEquals(PhaseDiagram.WIDTH, png.getWidth());
        assertEquals(PhaseDiagram.HEIGHT, png.getHeight());
        assertTrue(distinctColours(png) > 40, "cells coloured along the scale, not a blank canvas: " + distinctColours(png));

        List<String> texts = svgTexts(files.get(1));
        String all = String.join("\n", texts);
        assertTrue(texts.contains("log10 γ0") && texts.contains("log10 η0"), all);
        assertTrue(texts.contains("final test loss"), "colour bar label: " + all);
        assertTrue(texts.contains("MLP L=3, MSE"), all);
        assertTrue(texts.contains("measured η_max"), all);
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("diverged")), all);
        // The fitted slopes are printed with their intervals: exactly 2 and 0.667 here (zero width).
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("γ0 ≤ 1: slope 2.000 ± 0.000 (95% CI, n=7")), all);
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("γ0 ≥ 1: slope 0.667 ± 0.000 (95% CI, n=7")), all);
    }

    @Test
    void singleCellAndNoBoundaryStillDraws() throws Exception {
        List<Path> files = PhaseDiagram.write(tmp.resolve("one"), "one run", "accuracy",
                List.of(new PhaseCell(1, 0.1, 0.9, false)), List.of(), List.of(), java.util.EnumSet.of(FigureFormat.SVG),
                400, 300);
        assertEquals(List.of(tmp.resolve("one.svg")), files);
        assertTrue(Files.size(files.getFirst()) > 1000);
        assertTrue(svgTexts(files.getFirst()).contains("accuracy"));
    }

    @Test
    void cellsTileTheGridAtItsSmallestSpacing() {
        assertEquals(0.5, PhaseDiagram.cellSize(new double[] {-1, -0.5, 0, 0.5 + 1e-12, 2}), 1e-9);
        assertEquals(1, PhaseDiagram.cellSize(new double[] {3, 3, 3}));
    }

    @Test
    void badInputIsRejectedNamingTheEntry() {
        Path p = tmp.resolve("bad");
        PhaseCell ok = new PhaseCell(1, 1, 0.5, false);
        assertMessage("cells must hold at least one run", () -> PhaseDiagram.write(p, "t", "v", List.of(), List.of(), List.of()));
        assertMessage("cells[1]", () -> PhaseDiagram.write(p, "t", "v",
                List.of(ok, new PhaseCell(-1, 1, 0.5, false)), List.of(), List.of()));
        assertMessage("needs a finite value", () -> PhaseDiagram.write(p, "t", "v",
                List.of(new PhaseCell(2, 1, Double.NaN, false)), List.of(), List.of()));
        assertMessage("same (gamma0, eta0)", () -> PhaseDiagram.write(p, "t", "v",
                List.of(ok, PhaseCell.divergedAt(1, 1)), List.of(), List.of()));
        assertMessage("etaMax[0] must be {gamma0, eta0_max}", () -> PhaseDiagram.write(p, "t", "v",
                List.of(ok), List.<double[]>of(new double[] {1}), List.of()));
        assertMessage("etaMax[0]", () -> PhaseDiagram.write(p, "t", "v",
                List.of(ok), List.<double[]>of(new double[] {1, 0}), List.of()));
        assertMessage("title and valueLabel", () -> PhaseDiagram.write(p, null, "v", List.of(ok), List.of(), List.of()));
        assertMessage("at least 100x100", () -> PhaseDiagram.write(p, "t", "v", List.of(ok), List.of(), List.of(),
                java.util.EnumSet.of(FigureFormat.PNG), 10, 10));
        assertTrue(Files.notExists(tmp.resolve("bad.png")), "nothing written on bad input");
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        PlotException e = assertThrows(PlotException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    private static List<String> svgTexts(Path svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // JFreeSVG writes the SVG 1.1 DOCTYPE; parse (so the file is well-formed XML) without fetching the DTD.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().strip());
        }
        return out;
    }
}
