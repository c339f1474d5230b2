package dev.prepaid.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void ratesRoundHalfUpToTheFen() {
        assertThat(Money.ppmOfHalfUp(10_000, 3_500)).isEqualTo(35);
        assertThat(Money.ppmOfHalfUp(100, 3_500)).isEqualTo(0);
        assertThat(Money.ppmOfHalfUp(143, 3_500)).isEqualTo(1);
        assertThat(Money.ppmOfHalfUp(142, 3_500)).isEqualTo(0);
        assertThat(Money.ppmOfHalfUp(999_999_999_999L, 1_000_000)).isEqualTo(999_999_999_999L);
    }

    @Test
    void proportionsRoundHalfUpAndStayExactForHugeValues() {
        assertThat(Money.proportionHalfUp(35, 1, 2)).isEqualTo(18);
        assertThat(Money.proportionHalfUp(35, 1, 3)).isEqualTo(12);
        assertThat(Money.proportionHalfUp(Long.MAX_VALUE / 2, 3, 4)).isEqualTo((Long.MAX_VALUE / 2) / 4 * 3 + 2);
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        assertThatThrownBy(() -> Money.add(Long.MAX_VALUE, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.ppmOfHalfUp(Long.MAX_VALUE, 2)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void formatsAndParsesYuan() {
        assertThat(Money.format(123_456)).isEqualTo("1234.56");
        assertThat(Money.format(-5)).isEqualTo("-0.05");
        assertThat(Money.parse("1234.56")).isEqualTo(123_456);
        assertThat(Money.parse("12.5")).isEqualTo(1_250);
        assertThat(Money.parse("7")).isEqualTo(700);
        assertThatThrownBy(() -> Money.parse("1.234")).hasMessageContaining("one or two decimals");
        assertThatThrownBy(() -> Money.parse("12,00")).hasMessageContaining("','");
        assertThatThrownBy(() -> Money.parse("")).hasMessageContaining("empty");
    }
}
