package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.demo.DemoBusiness;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The mix file: the shipped default as issue 12 gives it, the draws in its proportions, and every mistake named. */
class MixTest {
    private static Path root() {
        return DemoBusiness.installationAbove(Path.of(""));
    }

    @Test
    void theShippedMixIsIssue12sDefault() {
        final Mix mix = Mix.load(root().resolve(LoadOptions.DEFAULT_MIX));
        assertThat(mix.percent(Mix.Operation.PURCHASE)).isEqualTo(70);
        assertThat(mix.percent(Mix.Operation.VOID)).isEqualTo(8);
        assertThat(mix.percent(Mix.Operation.REFUND)).isEqualTo(5);
        assertThat(mix.percent(Mix.Operation.RECHARGE)).isEqualTo(7);
        assertThat(mix.percent(Mix.Operation.BALANCE)).isEqualTo(5);
        assertThat(mix.percent(Mix.Operation.PREAUTH)).isEqualTo(3);
        assertThat(mix.percent(Mix.Operation.REVERSAL)).isEqualTo(2);
        assertThat(mix.wrongPinPercent).isEqualTo(1);
        assertThat(mix.insufficientPercent).isEqualTo(1);
        assertThat(mix.swipedPercent).isEqualTo(80);
        assertThat(mix.purchaseFen).containsExactly(100, 5_000);
        assertThat(mix.describe()).startsWith("purchase 70 %, void 8 %, refund 5 %, recharge 7 %, balance 5 %,"
                + " preauth 3 %, reversal 2 %; wrong PIN 1 %");
        final Mix purchases = Mix.load(root().resolve("config/load/purchases.yaml"));
        assertThat(purchases.percent(Mix.Operation.PURCHASE)).isEqualTo(100);
        assertThat(purchases.wrongPinPercent + purchases.insufficientPercent).isZero();
    }

    @Test
    void drawsComeInTheProportionsOfTheFile() {
        final Mix mix = Mix.parse("test", "operations: {purchase: 50, balance: 25.5, preauth: 24.5}\n");
        final Map<Mix.Operation, Integer> drawn = new EnumMap<>(Mix.Operation.class);
        final SplittableRandom random = new SplittableRandom(12);
        final int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            drawn.merge(mix.draw(random), 1, Integer::sum);
        }
        assertThat(drawn).containsOnlyKeys(Mix.Operation.PURCHASE, Mix.Operation.BALANCE, Mix.Operation.PREAUTH);
        assertThat(100.0 * drawn.get(Mix.Operation.PURCHASE) / draws).isBetween(49.5, 50.5);
        assertThat(100.0 * drawn.get(Mix.Operation.BALANCE) / draws).isBetween(25.0, 26.0);
        assertThat(100.0 * drawn.get(Mix.Operation.PREAUTH) / draws).isBetween(24.0, 25.0);
        assertThat(mix.swipedPercent).as("cards are swiped unless the file says").isEqualTo(100);
        for (int i = 0; i < 1_000; i++) {
            assertThat(Mix.amount(random, new long[] {3, 5})).isBetween(3L, 5L);
        }
    }

    @Test
    void mistakesAreNamedWithTheKeyAndTheLine() {
        assertThatThrownBy(() -> Mix.parse("m.yaml", "operations: {purchase: 70, void: 20}\n"))
                .hasMessage("m.yaml: operations add up to 90 %, not 100");
        assertThatThrownBy(() -> Mix.parse("m.yaml", "operations:\n  purchase: 100\n  sale: 5\n"))
                .hasMessage("m.yaml: operations.sale: unknown key (line 3); expected one of [balance, preauth,"
                        + " purchase, recharge, refund, reversal, void]");
        assertThatThrownBy(() -> Mix.parse("m.yaml", "operations:\n  purchase: \"100\"\n"))
                .hasMessageStartingWith("m.yaml: operations.purchase: ").hasMessageContaining("(line 2)");
        assertThatThrownBy(() -> Mix.parse("m.yaml", "operations: {purchase: 110, void: -10}\n"))
                .hasMessageContaining("operations.purchase: 110.0 is not a percent 0..100")
                .hasMessageContaining("operations.void: -10.0 is not a percent 0..100");
        assertThatThrownBy(() -> Mix.parse("m.yaml", "wrongPin: 1\n"))
                .hasMessageStartingWith("m.yaml: operations is required");
        assertThatThrownBy(() -> Mix.parse("m.yaml", "operations: {purchase: 100}\namounts: {purchase: [50, 10]}\n"))
                .hasMessageContaining("amounts.purchase: give [min, max] in fen, 1 <= min <= max <= 100000, not [50, 10]");
        assertThatThrownBy(() -> Mix.parse("m.yaml", "operations: {purchase: 100}\nwrongPin: 60\ninsufficient: 50\n"))
                .hasMessageContaining("wrongPin and insufficient together are more than 100 %");
        assertThatThrownBy(() -> Mix.parse("m.yaml", "")).hasMessage("m.yaml: the file is empty");
        assertThatThrownBy(() -> Mix.load(Path.of("no-such-mix.yaml")))
                .hasMessage("no-such-mix.yaml: the file does not exist");
    }
}
