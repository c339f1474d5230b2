package dev.prepaid.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rate ladder ({@code --ladder start,step,max}): the open loop's rate goes up by {@code step} from {@code start}
 * to at most {@code max}, each rate held for one measured step, until a step fails. A step fails when its p99
 * (from the scheduled send times) is above the bound, when an error came (a request without a usable answer, or an
 * answer that says the switch or the exchange failed), or when the answers did not keep up: a slot of the step was
 * still unanswered when the next step's warm-up ended. The peak sustained rate is the highest rate that passed.
 */
final class Ladder {
    /** What the ladder needs of a measured step. */
    record Figures(double rate, long scheduled, long answered, long errors, long p99Nanos) {
    }

    /** A step passed, or failed and why. */
    record Verdict(boolean passed, String reason) {
        static final Verdict PASSED = new Verdict(true, "passed");
    }

    private final List<Double> rates;
    private final long p99BoundNanos;

    private Ladder(final List<Double> rates, final long p99BoundNanos) {
        this.rates = List.copyOf(rates);
        this.p99BoundNanos = p99BoundNanos;
    }

    /**
     * The ladder of {@code start,step,max} (requests a second) with a p99 bound.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    static Ladder parse(final String text, final long p99BoundNanos) {
        final String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("--ladder is start,step,max in requests a second, e.g. 1000,1000,20000;"
                    + " not '" + text + "'");
        }
        final double[] values = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].strip());
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("--ladder: '" + parts[i] + "' is not a number");
            }
        }
        return of(values[0], values[1], values[2], p99BoundNanos);
    }

    static Ladder of(final double start, final double step, final double max, final long p99BoundNanos) {
        if (!(start > 0) || !(step > 0) || !(max >= start) || max > LoadOptions.MAX_RATE) {
            throw new IllegalArgumentException("--ladder needs 0 < start <= max <= " + (long) LoadOptions.MAX_RATE
                    + " and a step above 0");
        }
        if ((max - start) / step + 1 > LoadOptions.MAX_STEPS) {
            throw new IllegalArgumentException("--ladder of more than " + LoadOptions.MAX_STEPS + " steps: take a larger"
                    + " step");
        }
        if (p99BoundNanos <= 0) {
            throw new IllegalArgumentException("the p99 bound must be positive");
        }
        final List<Double> rates = new ArrayList<>();
        for (int i = 0; start + i * step <= max * (1 + 1e-12); i++) {
            rates.add(start + i * step);
        }
        return new Ladder(rates, p99BoundNanos);
    }

    /** The rates to try, in order. */
    List<Double> rates() {
        return rates;
    }

    long p99BoundNanos() {
        return p99BoundNanos;
    }

    /** Whether a step with these figures passed; the first failing step ends the ladder. */
    Verdict judge(final Figures figures) {
        if (figures.errors() > 0) {
            return new Verdict(false, figures.errors() + " error" + (figures.errors() == 1 ? "" : "s"));
        }
        if (figures.answered() < figures.scheduled()) {
            return new Verdict(false, (figures.scheduled() - figures.answered()) + " of " + figures.scheduled()
                    + " slots not answered in time: the switch fell behind the schedule");
        }
        if (figures.p99Nanos() > p99BoundNanos) {
            return new Verdict(false, String.format(Locale.ROOT, "p99 %.3f ms above the bound of %.3f ms",
                    figures.p99Nanos() / 1e6, p99BoundNanos / 1e6));
        }
        return Verdict.PASSED;
    }

    /** The highest rate among the steps before the first that failed; 0 when the first step failed. */
    static double peak(final List<Figures> steps, final List<Verdict> verdicts) {
        double peak = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            if (!verdicts.get(i).passed()) {
                break;
            }
            peak = Math.max(peak, steps.get(i).rate());
        }
        return peak;
    }
}
