package org.confab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Workload 6: hostile Markdown (issue 15) rendered by the shipped renderer and shown in the real
 * room view, in a GUI process of its own ({@code org.confab.ui.room.MarkdownBenchMain} under
 * {@code xvfb-run -a} when there is no display). Not a test: the figures are reported against
 * {@link #BOUND_MS}, docs/benchmarks.md says what it means.
 */
final class MarkdownBench {
    /**
     * The bound for each case: a message, however hostile, is on the screen within this, and the
     * FX thread is never kept from other work longer (docs/benchmarks.md, "Hostile Markdown").
     */
    static final double BOUND_MS = 250;

    record Row(
            String name,
            int chars,
            boolean markdown,
            double renderMedianMs,
            double renderMaxMs,
            double roomMedianMs,
            double roomMaxMs,
            double stallMs,
            int nodes) {
        boolean withinBound() {
            return roomMaxMs <= BOUND_MS && stallMs <= BOUND_MS;
        }
    }

    private MarkdownBench() {}

    static List<Row> run(int reps, boolean jfr) throws Exception {
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Process gui = new ProcessBuilder(GuiFlood.guiCommand(
                        jfr ? "markdown.jfr" : null,
                        List.of(),
                        "org.confab.ui.room.MarkdownBenchMain",
                        Integer.toString(reps)))
                .redirectError(dir.resolve("markdown.err").toFile())
                .start();
        try {
            var lines = GuiFlood.lines(gui);
            List<Row> rows = new ArrayList<>();
            while (true) {
                String l = GuiFlood.await(lines, "", 600);
                if (l.equals("done")) {
                    return rows;
                }
                if (l.startsWith("case ")) {
                    Map<String, String> f = GuiFlood.fields(l);
                    rows.add(new Row(
                            f.get("name"),
                            Integer.parseInt(f.get("chars")),
                            Boolean.parseBoolean(f.get("markdown")),
                            GuiFlood.d(f, "renderMedianMs"),
                            GuiFlood.d(f, "renderMaxMs"),
                            GuiFlood.d(f, "roomMedianMs"),
                            GuiFlood.d(f, "roomMaxMs"),
                            GuiFlood.d(f, "stallMs"),
                            Integer.parseInt(f.get("nodes"))));
                    System.out.println("markdown: " + l);
                }
            }
        } finally {
            // after "done" the GUI process exits by itself; after a failure it is ended, with its JVM under xvfb-run
            if (!gui.waitFor(30, TimeUnit.SECONDS)) {
                gui.descendants().forEach(ProcessHandle::destroyForcibly);
                gui.destroyForcibly();
                gui.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
