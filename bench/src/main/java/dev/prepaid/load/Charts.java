package dev.prepaid.load;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The run's two charts as SVG, readable in any browser without a plotting tool: the latency by percentile (the x
 * axis in "nines", as HdrHistogram's plots have it, so that the tail takes as much room as the median) and the
 * answered requests by second against the target rate.
 */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 200;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    /** The x axis ends at 99.999 %: 1 / (1 - p) = 100,000. */
    private static final double MAX_NINES = 5;

    /** One line of the latency chart. */
    record Series(String name, Histogram histogram, boolean dashed) {
    }

    private Charts() {
    }

    /** Latency (ms, linear) by percentile (log of {@code 1 / (1 - p)}), one line per series. */
    static String latency(final String title, final String yLabel, final List<Series> series) {
        double maxMs = 0.001;
        final List<List<double[]>> lines = new ArrayList<>();
        for (final Series s : series) {
            final List<double[]> points = new ArrayList<>();
            if (s.histogram().getTotalCount() > 0) {
                for (final HistogramIterationValue v : s.histogram().percentiles(5)) {
                    final double p = v.getPercentileLevelIteratedTo() / 100;
                    final double nines = p >= 1 ? MAX_NINES : Math.min(MAX_NINES, Math.log10(1 / (1 - p)));
                    final double ms = s.histogram().highestEquivalentValue(v.getValueIteratedTo()) / 1e6;
                    points.add(new double[] {nines, ms});
                    maxMs = Math.max(maxMs, ms);
                    if (p >= 1) {
                        break;
                    }
                }
            }
            lines.add(points);
        }
        final double top = niceCeiling(maxMs);
        final StringBuilder svg = header(title);
        axes(svg, "percentile", yLabel);
        final String[] labels = {"0 %", "90 %", "99 %", "99.9 %", "99.99 %", "99.999 %"};
        for (int n = 0; n <= MAX_NINES; n++) {
            final double x = LEFT + n / MAX_NINES * plotWidth();
            gridLine(svg, x, TOP, x, TOP + plotHeight());
            text(svg, x, TOP + plotHeight() + 20, labels[n], "middle");
        }
        yTicks(svg, top);
        for (int i = 0; i < series.size(); i++) {
            final String colour = COLOURS[i % COLOURS.length];
            polyline(svg, lines.get(i), MAX_NINES, top, colour, series.get(i).dashed());
            legend(svg, i, series.get(i).name(), colour, series.get(i).dashed());
        }
        return svg.append("</svg>\n").toString();
    }

    /** Answered requests by second (a line) and the target rate (dashed), over the run's seconds. */
    static String throughput(final String title, final List<Measurements.Second> seconds) {
        double maxRate = 1;
        double maxT = 1;
        final List<double[]> answered = new ArrayList<>();
        final List<double[]> target = new ArrayList<>();
        for (final Measurements.Second s : seconds) {
            answered.add(new double[] {s.atSeconds(), s.answered()});
            if (s.targetRate() > 0) {
                target.add(new double[] {s.atSeconds(), s.targetRate()});
            }
            maxRate = Math.max(maxRate, Math.max(s.answered(), s.targetRate()));
            maxT = Math.max(maxT, s.atSeconds());
        }
        final double top = niceCeiling(maxRate);
        final double right = niceCeiling(maxT);
        final StringBuilder svg = header(title);
        axes(svg, "seconds since the first slot", "answered per second");
        for (int i = 0; i <= 5; i++) {
            final double t = right * i / 5;
            final double x = LEFT + t / right * plotWidth();
            gridLine(svg, x, TOP, x, TOP + plotHeight());
            text(svg, x, TOP + plotHeight() + 20, format("%.0f", t), "middle");
        }
        yTicks(svg, top);
        polyline(svg, answered, right, top, COLOURS[0], false);
        legend(svg, 0, "answered", COLOURS[0], false);
        if (!target.isEmpty()) {
            polyline(svg, target, right, top, COLOURS[1], true);
            legend(svg, 1, "target rate", COLOURS[1], true);
        }
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder header(final String title) {
        final StringBuilder svg = new StringBuilder(16_384);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 25, title, "middle");
        return svg;
    }

    private static void axes(final StringBuilder svg, final String xLabel, final String yLabel) {
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth())
                .append("\" height=\"").append(plotHeight()).append("\" fill=\"none\" stroke=\"black\"/>\n");
        text(svg, LEFT + plotWidth() / 2.0, HEIGHT - 15, xLabel, "middle");
        svg.append("<text x=\"18\" y=\"").append(TOP + plotHeight() / 2).append("\" text-anchor=\"middle\" transform="
                + "\"rotate(-90 18 ").append(TOP + plotHeight() / 2).append(")\">").append(escape(yLabel))
                .append("</text>\n");
    }

    private static void yTicks(final StringBuilder svg, final double top) {
        for (int i = 0; i <= 5; i++) {
            final double value = top * i / 5;
            final double y = TOP + plotHeight() - value / top * plotHeight();
            gridLine(svg, LEFT, y, LEFT + plotWidth(), y);
            text(svg, LEFT - 6, y + 4, tick(value), "end");
        }
    }

    /** A tick's value without trailing zeros: 0, 0.004, 2.5, 40, 12,000. */
    static String tick(final double value) {
        if (value == Math.rint(value)) {
            return format("%,.0f", value);
        }
        return BigDecimal.valueOf(value).round(new MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }

    private static void polyline(final StringBuilder svg, final List<double[]> points, final double xMax,
            final double yMax, final String colour, final boolean dashed) {
        if (points.isEmpty()) {
            return;
        }
        svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\"")
                .append(dashed ? " stroke-dasharray=\"6 4\"" : "").append(" points=\"");
        for (final double[] p : points) {
            final double x = LEFT + Math.min(1, p[0] / xMax) * plotWidth();
            final double y = TOP + plotHeight() - Math.min(1, p[1] / yMax) * plotHeight();
            svg.append(format("%.1f,%.1f ", x, y));
        }
        svg.append("\"/>\n");
    }

    private static void legend(final StringBuilder svg, final int i, final String name, final String colour,
            final boolean dashed) {
        final double y = TOP + 10 + i * 20;
        final double x = LEFT + plotWidth() + 15;
        svg.append(format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                x, y, x + 25, y, colour, dashed ? " stroke-dasharray=\"6 4\"" : ""));
        text(svg, x + 32, y + 4, name, "start");
    }

    private static void gridLine(final StringBuilder svg, final double x1, final double y1, final double x2,
            final double y2) {
        svg.append(format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n", x1, y1, x2, y2));
    }

    private static void text(final StringBuilder svg, final double x, final double y, final String text,
            final String anchor) {
        svg.append(format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor)).append(escape(text))
                .append("</text>\n");
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}. */
    static double niceCeiling(final double value) {
        final double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String format(final String pattern, final Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
