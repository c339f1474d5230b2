package dev.prepaid.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The transaction mix of the load generator, from a YAML file ({@code config/load/mix.yaml} by default): what each
 * scheduled slot sends, in percent; the declines the generator asks for; how cards are read; the amounts. The mix
 * is data so that a measurement names the file it ran, and another mix needs no build.
 */
final class Mix {
    /** What a slot sends. Two of them are pairs of requests: the second goes as soon as the first is answered. */
    enum Operation {
        PURCHASE("purchase"),
        /** The void of an approved purchase of the terminal's open batch; a purchase when it has none. */
        VOID("void"),
        /** The refund of an approved purchase of the terminal, whole; a purchase when it has none. */
        REFUND("refund"),
        RECHARGE("recharge"),
        BALANCE("balance"),
        /** A pre-authorisation, then its completion. */
        PREAUTH("preauth"),
        /** A purchase whose answer the terminal sets aside as come too late, then its reversal (0400). */
        REVERSAL("reversal");

        final String key;

        Operation(final String key) {
            this.key = key;
        }
    }

    /** The file as read; every key may be left out except {@code operations}. */
    record File(Operations operations, Double wrongPin, Double insufficient, Double swiped, Amounts amounts) {
    }

    record Operations(Double purchase, @JsonProperty("void") Double voidPurchase, Double refund, Double recharge,
            Double balance, Double preauth, Double reversal) {
    }

    /** Each a {@code [min, max]} range in fen, drawn uniformly. */
    record Amounts(List<Long> purchase, List<Long> recharge, List<Long> preauth) {
    }

    private static final double TOLERANCE = 1e-6;
    private static final long[] PURCHASE_DEFAULT = {100, 5_000};
    private static final long[] RECHARGE_DEFAULT = {5_000, 20_000};
    private static final long[] PREAUTH_DEFAULT = {1_000, 10_000};
    /** The most a card of the population holds (the regulatory cap of anonymous cards, 1,000.00). */
    static final long MAX_AMOUNT_FEN = 100_000;

    private final String source;
    private final double[] percent;
    private final double[] cumulative;
    final double wrongPinPercent;
    final double insufficientPercent;
    final double swipedPercent;
    final long[] purchaseFen;
    final long[] rechargeFen;
    final long[] preauthFen;

    private Mix(final String source, final double[] percent, final double wrongPin, final double insufficient,
            final double swiped, final long[] purchase, final long[] recharge, final long[] preauth) {
        this.source = source;
        this.percent = percent;
        this.cumulative = new double[percent.length];
        double sum = 0;
        for (int i = 0; i < percent.length; i++) {
            sum += percent[i];
            cumulative[i] = sum;
        }
        this.wrongPinPercent = wrongPin;
        this.insufficientPercent = insufficient;
        this.swipedPercent = swiped;
        this.purchaseFen = purchase;
        this.rechargeFen = recharge;
        this.preauthFen = preauth;
    }

    /** The mix of {@code file}; an {@link IllegalArgumentException} naming every problem when it is not one. */
    static Mix load(final Path file) {
        return of(file.toString(), LoadYaml.read(file, File.class));
    }

    static Mix parse(final String source, final String yaml) {
        return of(source, LoadYaml.parse(source, yaml, File.class));
    }

    private static Mix of(final String source, final File file) {
        final List<String> problems = new ArrayList<>();
        if (file.operations() == null) {
            throw new IllegalArgumentException(source + ": operations is required: the percent of each of "
                    + keys() + " (they add up to 100)");
        }
        final Operations o = file.operations();
        final Double[] given = {o.purchase(), o.voidPurchase(), o.refund(), o.recharge(), o.balance(), o.preauth(),
            o.reversal()};
        final double[] percent = new double[given.length];
        double sum = 0;
        for (int i = 0; i < given.length; i++) {
            percent[i] = share(source, "operations." + Operation.values()[i].key, given[i], problems);
            sum += percent[i];
        }
        if (problems.isEmpty() && Math.abs(sum - 100) > TOLERANCE) {
            problems.add(source + ": operations add up to " + number(sum) + " %, not 100");
        }
        final double wrongPin = share(source, "wrongPin", file.wrongPin(), problems);
        final double insufficient = share(source, "insufficient", file.insufficient(), problems);
        if (wrongPin + insufficient > 100 + TOLERANCE) {
            problems.add(source + ": wrongPin and insufficient together are more than 100 % of the purchases");
        }
        final double swiped = file.swiped() == null ? 100 : share(source, "swiped", file.swiped(), problems);
        final Amounts amounts = file.amounts() == null ? new Amounts(null, null, null) : file.amounts();
        final long[] purchase = range(source, "amounts.purchase", amounts.purchase(), PURCHASE_DEFAULT, problems);
        final long[] recharge = range(source, "amounts.recharge", amounts.recharge(), RECHARGE_DEFAULT, problems);
        final long[] preauth = range(source, "amounts.preauth", amounts.preauth(), PREAUTH_DEFAULT, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new Mix(source, percent, wrongPin, insufficient, swiped, purchase, recharge, preauth);
    }

    private static double share(final String source, final String key, final Double value, final List<String> problems) {
        if (value == null) {
            return 0;
        }
        if (value.isNaN() || value < 0 || value > 100) {
            problems.add(source + ": " + key + ": " + value + " is not a percent 0..100");
            return 0;
        }
        return value;
    }

    private static long[] range(final String source, final String key, final List<Long> value, final long[] otherwise,
            final List<String> problems) {
        if (value == null) {
            return otherwise.clone();
        }
        if (value.size() != 2 || value.get(0) == null || value.get(1) == null || value.get(0) < 1
                || value.get(1) < value.get(0) || value.get(1) > MAX_AMOUNT_FEN) {
            problems.add(source + ": " + key + ": give [min, max] in fen, 1 <= min <= max <= " + MAX_AMOUNT_FEN
                    + ", not " + value);
            return otherwise.clone();
        }
        return new long[] {value.get(0), value.get(1)};
    }

    private static String keys() {
        final List<String> keys = new ArrayList<>();
        for (final Operation operation : Operation.values()) {
            keys.add(operation.key);
        }
        return String.join(", ", keys);
    }

    /** The operation of the next slot. */
    Operation draw(final SplittableRandom random) {
        final double x = random.nextDouble() * 100;
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return Operation.values()[i];
            }
        }
        // x within rounding of 100: the last operation with a share
        for (int i = percent.length - 1; i >= 0; i--) {
            if (percent[i] > 0) {
                return Operation.values()[i];
            }
        }
        throw new IllegalStateException("a mix without operations");
    }

    double percent(final Operation operation) {
        return percent[operation.ordinal()];
    }

    /** Uniform in {@code [range[0], range[1]]}. */
    static long amount(final SplittableRandom random, final long[] range) {
        return range[0] + random.nextLong(range[1] - range[0] + 1);
    }

    /** The file the mix came from. */
    String source() {
        return source;
    }

    /** One line: each operation with its share, then the declines and the card reading. */
    String describe() {
        final StringBuilder line = new StringBuilder();
        for (final Operation operation : Operation.values()) {
            if (percent(operation) > 0) {
                line.append(line.length() == 0 ? "" : ", ").append(operation.key).append(' ')
                        .append(number(percent(operation))).append(" %");
            }
        }
        line.append("; wrong PIN ").append(number(wrongPinPercent)).append(" % and insufficient ")
                .append(number(insufficientPercent)).append(" % of purchases; ").append(number(swipedPercent))
                .append(" % swiped");
        return line.toString();
    }

    private static String number(final double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
