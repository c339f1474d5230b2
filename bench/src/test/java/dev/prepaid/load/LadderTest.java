package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ladder's stop rule: the first step whose p99 passes the bound, that has an error or falls behind ends it. */
class LadderTest {
    private static final long MS = 1_000_000;

    @Test
    void ratesGoFromStartByStepUpToMax() {
        assertThat(Ladder.parse("1000,1000,4000", 10 * MS).rates()).containsExactly(1000.0, 2000.0, 3000.0, 4000.0);
        assertThat(Ladder.parse("500, 300, 1200", MS).rates()).containsExactly(500.0, 800.0, 1100.0);
        assertThatThrownBy(() -> Ladder.parse("1000,1000", MS)).hasMessageContaining("--ladder is start,step,max");
        assertThatThrownBy(() -> Ladder.parse("1000,x,2000", MS)).hasMessage("--ladder: 'x' is not a number");
        assertThatThrownBy(() -> Ladder.parse("2000,100,1000", MS)).hasMessageContaining("0 < start <= max");
        assertThatThrownBy(() -> Ladder.parse("1,1,1000", MS)).hasMessageContaining("more than 100 steps");
    }

    @Test
    void aStepFailsOnItsP99OnAnErrorOrWhenItFellBehind() {
        final Ladder ladder = Ladder.parse("1000,1000,3000", 10 * MS);
        assertThat(ladder.judge(new Ladder.Figures(1000, 10_000, 10_000, 0, 10 * MS)).passed())
                .as("a p99 at the bound passes").isTrue();
        final Ladder.Verdict slow = ladder.judge(new Ladder.Figures(1000, 10_000, 10_000, 0, 12 * MS));
        assertThat(slow.passed()).isFalse();
        assertThat(slow.reason()).isEqualTo("p99 12.000 ms above the bound of 10.000 ms");
        final Ladder.Verdict error = ladder.judge(new Ladder.Figures(1000, 10_000, 10_000, 1, MS));
        assertThat(error.passed()).isFalse();
        assertThat(error.reason()).isEqualTo("1 error");
        final Ladder.Verdict behind = ladder.judge(new Ladder.Figures(1000, 10_000, 9_990, 0, MS));
        assertThat(behind.passed()).isFalse();
        assertThat(behind.reason()).startsWith("10 of 10000 slots not answered in time");
    }

    @Test
    void thePeakIsTheHighestRateBeforeTheFirstFailure() {
        final Ladder ladder = Ladder.parse("1000,1000,5000", 5 * MS);
        final List<Ladder.Figures> steps = new ArrayList<>();
        final List<Ladder.Verdict> verdicts = new ArrayList<>();
        final long[] p99 = {MS, 2 * MS, 4 * MS, 7 * MS, 3 * MS};
        for (int i = 0; i < p99.length; i++) {
            final Ladder.Figures figures = new Ladder.Figures(ladder.rates().get(i), 100, 100, 0, p99[i]);
            steps.add(figures);
            verdicts.add(ladder.judge(figures));
        }
        assertThat(verdicts).extracting(Ladder.Verdict::passed).containsExactly(true, true, true, false, true);
        assertThat(Ladder.peak(steps, verdicts)).as("a later step that passes does not count").isEqualTo(3000);
        assertThat(Ladder.peak(steps.subList(3, 4), verdicts.subList(3, 4))).isZero();
    }
}
