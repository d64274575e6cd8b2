package optlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class LearningCurvesTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void twoRunsGivePngOfRequestedSizeAndSvgWithBothLegendNames() throws Exception {
        Path a = RunFolders.write(tmp.resolve("sgd-lr0.1"), "SGD lr=0.1", 200, 40, 0.02);
        Path b = RunFolders.write(tmp.resolve("adam"), null, 150, 30, 0.05);
        List<Path> files = LearningCurves.plot(List.of(a, b), LearningCurves.defaultPrefix(List.of(a, b)),
                EnumSet.allOf(FigureFormat.class), PlotSpec.defaults().withSize(800, 600));

        assertEquals(List.of(a.resolve("curves.png"), a.resolve("curves.svg")), files);
        BufferedImage png = ImageIO.read(a.resolve("curves.png").toFile());
        assertEquals(800, png.getWidth());
        assertEquals(600, png.getHeight());
        assertTrue(distinctColours(png) > 5, "the PNG is not a blank canvas");

        List<String> texts = svgTexts(a.resolve("curves.svg"));
        assertTrue(texts.contains("SGD lr=0.1"), "summary name in legend: " + texts);
        assertTrue(texts.contains("adam"), "folder name when summary has none: " + texts);
        assertTrue(texts.contains("accuracy"), "accuracy panel present: " + texts);
    }

    @Test
    void epochAxisLogScaleSmoothingAndSvgOnly() throws Exception {
        Path a = RunFolders.write(tmp.resolve("r1"), "one", 120, 20, 0.03);
        Path out = tmp.resolve("figs/cmp");
        List<Path> files = LearningCurves.plot(List.of(a), out, EnumSet.of(FigureFormat.SVG),
                PlotSpec.defaults().withX(XAxis.EPOCHS).withLogY(true).withSmooth(10));
        assertEquals(List.of(tmp.resolve("figs/cmp.svg")), files);
        assertFalse(Files.exists(tmp.resolve("figs/cmp.png")));
        List<String> texts = svgTexts(files.getFirst());
        assertTrue(texts.contains("epoch"), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.contains("avg of 10")), texts.toString());
    }

    @Test
    void runWithoutEvalsOrSummaryPlotsTrainingLossOnly() throws Exception {
        Path a = tmp.resolve("bare");
        RunFolders.put(a.resolve("steps.csv"), "step,loss\n0,2.3\n1,2.1\n2,1.9\n3,NaN\n");
        List<Path> files = LearningCurves.plot(List.of(a), tmp.resolve("bare-curves"), EnumSet.of(FigureFormat.SVG),
                PlotSpec.defaults());
        List<String> texts = svgTexts(files.getFirst());
        assertTrue(texts.contains("bare"), texts.toString());
        assertFalse(texts.contains("accuracy"), "no evaluation panels without evals.csv: " + texts);
    }

    @Test
    void errorsNameTheFolderFileAndLine() {
        Path good = RunFolders.write(tmp.resolve("good"), "g", 50, 10, 0.05);
        Path prefix = tmp.resolve("out");
        var formats = EnumSet.of(FigureFormat.PNG);
        var spec = PlotSpec.defaults();

        Path missing = tmp.resolve("nope");
        assertMessage(missing.toString(), "not found",
                () -> LearningCurves.plot(List.of(good, missing), prefix, formats, spec));

        Path noSteps = tmp.resolve("nosteps");
        RunFolders.put(noSteps.resolve("evals.csv"), "step,epoch\n");
        assertMessage("missing file", noSteps.resolve("steps.csv").toString(),
                () -> LearningCurves.plot(List.of(noSteps), prefix, formats, spec));

        Path empty = tmp.resolve("empty");
        RunFolders.put(empty.resolve("steps.csv"), "");
        assertMessage(empty.resolve("steps.csv").toString(), "empty file",
                () -> LearningCurves.plot(List.of(empty), prefix, formats, spec));

        Path headerOnly = tmp.resolve("headeronly");
        RunFolders.put(headerOnly.resolve("steps.csv"), "step,loss\n");
        assertMessage(headerOnly.resolve("steps.csv").toString(), "no rows",
                () -> LearningCurves.plot(List.of(headerOnly), prefix, formats, spec));

        Path badCell = tmp.resolve("badcell");
        RunFolders.put(badCell.resolve("steps.csv"), "step,loss\n1,2.0\n2,abc\n");
        assertMessage(badCell.resolve("steps.csv") + " line 3", "'abc' is not a number",
                () -> LearningCurves.plot(List.of(badCell), prefix, formats, spec));

        Path shortRow = tmp.resolve("shortrow");
        RunFolders.write(shortRow, "s", 30, 10, 0.05);
        RunFolders.put(shortRow.resolve("evals.csv"), "step,epoch,train_loss,train_acc,test_loss,test_acc\n10,1,0.5\n");
        assertMessage(shortRow.resolve("evals.csv") + " line 2", "3 cells, header has 6",
                () -> LearningCurves.plot(List.of(shortRow), prefix, formats, spec));

        Path noLoss = tmp.resolve("noloss");
        RunFolders.put(noLoss.resolve("steps.csv"), "step,lr\n1,0.1\n");
        assertMessage(noLoss.resolve("steps.csv").toString(), "no column 'loss'",
                () -> LearningCurves.plot(List.of(noLoss), prefix, formats, spec));

        Path badJson = tmp.resolve("badjson");
        RunFolders.write(badJson, "j", 30, 10, 0.05);
        RunFolders.put(badJson.resolve("summary.json"), "{\"name\": \n");
        assertMessage(badJson.resolve("summary.json").toString(), "not valid JSON",
                () -> LearningCurves.plot(List.of(badJson), prefix, formats, spec));

        Path noEvals = tmp.resolve("noevals");
        RunFolders.put(noEvals.resolve("steps.csv"), "step,loss\n1,2.0\n");
        assertMessage("--x epochs", "noevals",
                () -> LearningCurves.plot(List.of(noEvals), prefix, formats, spec.withX(XAxis.EPOCHS)));

        assertMessage("--smooth", "0", () -> spec.withSmooth(0));
        assertFalse(Files.exists(tmp.resolve("out.png")), "nothing written when input is bad");
    }

    @Test
    void diverged_andRepeatedNamesStayApartInLegend() throws Exception {
        Path a = RunFolders.write(tmp.resolve("x/run"), "same", 40, 10, 0.05);
        Path b = RunFolders.write(tmp.resolve("y/run"), "same", 40, 10, 0.05);
        RunFolders.put(b.resolve("summary.json"), "{\"name\": \"same\", \"status\": \"diverged\", \"config\": {}}");
        Path c = RunFolders.write(tmp.resolve("z/run"), "same", 40, 10, 0.05);
        List<Path> files = LearningCurves.plot(List.of(a, b, c), tmp.resolve("d"), EnumSet.of(FigureFormat.SVG), PlotSpec.defaults());
        List<String> texts = svgTexts(files.getFirst());
        assertTrue(texts.containsAll(List.of("same", "same (diverged)", "same #2")), texts.toString());
    }

    private static void assertMessage(String part1, String part2, org.junit.jupiter.api.function.Executable call) {
        PlotException e = assertThrows(PlotException.class, call);
        assertTrue(e.getMessage().contains(part1) && e.getMessage().contains(part2),
                "message should contain '" + part1 + "' and '" + part2 + "': " + e.getMessage());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** The text of every SVG {@code <text>} element, parsed as XML (so the file is well-formed). */
    private static List<String> svgTexts(Path svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // JFreeSVG writes the SVG 1.1 DOCTYPE; parse without fetching its DTD from the network.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName() == null
                ? doc.getDocumentElement().getTagName() : doc.getDocumentElement().getLocalName());
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().strip());
        }
        return texts;
    }
}
