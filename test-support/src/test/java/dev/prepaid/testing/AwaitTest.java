package dev.prepaid.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting polls until the condition holds; a condition that never holds fails naming what was awaited. */
class AwaitTest {
    @Test
    void returnsOnceTheConditionHolds() {
        final AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", Duration.ofSeconds(30), () -> polls.incrementAndGet() == 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void aConditionThatNeverHoldsFailsNamingIt() {
        assertThatThrownBy(() -> Await.until("the impossible", Duration.ofMillis(50), () -> false))
                .isInstanceOf(AssertionError.class).hasMessage("waited 0 s for the impossible");
    }
}
