package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.clearing.DayKind;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.SettlementCycle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Weekly and monthly settlement cycles (domain-rules §5): paid on the cycle's day, or the next working day of the
 * calendar, everything owed for the business days before it. The standard set-up starts on Monday 2026-11-23.
 */
class SettlementCyclesTest {
    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 100_000);
    }

    private long prepare() {
        t.admin("finance", new PrepareSettlement());
        return t.out.reason == Reason.APPROVED ? t.out.value1 : -1;
    }

    /** Prepares, expects one line for the shop and approves it; returns the amount paid. */
    private long settle() {
        final long id = prepare();
        assertThat(t.out.reason).as(t.out.toString()).isEqualTo(Reason.APPROVED);
        final SettlementBatch batch = t.state().settlements().get(id);
        assertThat(batch.lines()).isEqualTo(1);
        assertThat(batch.merchant(0)).isEqualTo(t.state().merchant(MERCHANT).index());
        t.admin("finance2", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.admin("finance", new RecordPayoutResult(id, MERCHANT, true, "B" + id));
        return batch.amount(0);
    }

    private void nothingDue() {
        assertThat(prepare()).isEqualTo(-1);
        assertThat(t.out.reason).isEqualTo(Reason.NOTHING_TO_SETTLE);
    }

    private void cycle(final SettlementCycle cycle, final int day) {
        t.system(merchant(MERCHANT, cycle, day, 0));
    }

    @Test
    void weeklyPaysOnItsWeekdayWhatWasOwedBeforeIt() {
        cycle(SettlementCycle.WEEKLY, 3);                       // Wednesdays
        t.purchase(TERMINAL, card, 1_000);                      // Monday 23
        nothingDue();                                           // last payout Wednesday 18: everything since waits
        t.system(new Cutover(20261124));
        t.purchase(TERMINAL, card, 2_000);
        nothingDue();
        t.system(new Cutover(20261125));                        // Wednesday
        t.purchase(TERMINAL, card, 400);                        // today's activity waits for next Wednesday
        assertThat(settle()).isEqualTo(3_000);
        t.system(new Cutover(20261126));
        t.purchase(TERMINAL, card, 500);
        nothingDue();
        t.system(new Cutover(20261201));                        // Tuesday
        nothingDue();
        t.system(new Cutover(20261202));                        // Wednesday: 400 + 500
        assertThat(settle()).isEqualTo(900);
        assertThat(t.state().merchant(MERCHANT).payable()).isZero();
    }

    @Test
    void aMissedPayoutDayIsCaughtUpButTheNewPeriodWaits() {
        cycle(SettlementCycle.WEEKLY, 3);
        t.purchase(TERMINAL, card, 1_000);                      // Monday 23
        t.system(new Cutover(20261125));                        // Wednesday: nobody prepares
        t.purchase(TERMINAL, card, 2_000);
        t.system(new Cutover(20261126));                        // Thursday: Monday's 1,000 is due, Wednesday's is not
        t.purchase(TERMINAL, card, 4_000);
        assertThat(settle()).isEqualTo(1_000);
        nothingDue();
    }

    @Test
    void weeklyOnAHolidayIsPaidOnTheNextWorkingDayAcrossTheWeekend() {
        cycle(SettlementCycle.WEEKLY, 5);                       // Fridays
        t.system(new SetCalendarDay(20261127, DayKind.HOLIDAY));
        t.purchase(TERMINAL, card, 1_000);                      // Monday 23
        t.system(new Cutover(20261127));                        // Friday, a holiday
        t.purchase(TERMINAL, card, 2_000);
        assertThat(prepare()).isEqualTo(-1);
        assertThat(t.out.reason).isEqualTo(Reason.NOT_A_WORKING_DAY);
        t.system(new Cutover(20261128));                        // Saturday
        t.purchase(TERMINAL, card, 3_000);
        t.system(new Cutover(20261130));                        // Monday: Friday's payout
        t.purchase(TERMINAL, card, 4_000);
        assertThat(settle()).isEqualTo(6_000);
    }

    @Test
    void weeklyOnAHolidayIsPaidOnAMakeUpWorkingDay() {
        cycle(SettlementCycle.WEEKLY, 5);
        t.system(new SetCalendarDay(20261127, DayKind.HOLIDAY));
        t.system(new SetCalendarDay(20261128, DayKind.WORKDAY)); // Saturday made a working day
        t.purchase(TERMINAL, card, 1_000);
        t.system(new Cutover(20261127));
        t.purchase(TERMINAL, card, 2_000);
        t.system(new Cutover(20261128));
        t.purchase(TERMINAL, card, 3_000);
        assertThat(settle()).isEqualTo(3_000);
        t.system(new Cutover(20261130));                        // Monday: Saturday's 3,000 waits for next Friday
        nothingDue();
    }

    @Test
    void weeklyOnASundayIsPaidOnMonday() {
        cycle(SettlementCycle.WEEKLY, 7);
        t.purchase(TERMINAL, card, 1_000);                      // Monday 23 (itself Sunday 22's payout day)
        t.system(new Cutover(20261127));                        // Friday
        t.purchase(TERMINAL, card, 2_000);
        nothingDue();
        t.system(new Cutover(20261129));                        // Sunday
        t.purchase(TERMINAL, card, 4_000);
        t.system(new Cutover(20261130));                        // Monday: everything of the week, Sunday's too
        t.purchase(TERMINAL, card, 8_000);
        assertThat(settle()).isEqualTo(7_000);
    }

    @Test
    void monthlyOnThe31stOfA30DayMonthIsPaidOnItsLastDay() {
        cycle(SettlementCycle.MONTHLY, 31);
        t.purchase(TERMINAL, card, 1_000);                      // 23 November
        t.system(new Cutover(20261127));
        nothingDue();                                           // the last payout: 31 October a Saturday, so 2 November
        t.system(new Cutover(20261130));                        // Monday 30 November: November's payout
        t.purchase(TERMINAL, card, 2_000);
        assertThat(settle()).isEqualTo(1_000);
        t.system(new Cutover(20261230));
        t.purchase(TERMINAL, card, 4_000);
        nothingDue();
        t.system(new Cutover(20261231));                        // Thursday 31 December
        assertThat(settle()).isEqualTo(6_000);
    }

    @Test
    void monthlyInFebruaryAndAcrossItsWeekendAndAHoliday() {
        cycle(SettlementCycle.MONTHLY, 30);
        t.system(new Cutover(20270127));
        t.purchase(TERMINAL, card, 1_000);
        // 30 January 2027 is a Saturday: paid on Monday 1 February.
        t.system(new Cutover(20270129));
        nothingDue();
        t.system(new Cutover(20270201));
        t.purchase(TERMINAL, card, 2_000);
        assertThat(settle()).isEqualTo(1_000);
        // February has no 30th: its 28th, a Sunday, whose payout is Monday 1 March, here a holiday: Tuesday 2 March.
        t.system(new SetCalendarDay(20270301, DayKind.HOLIDAY));
        t.system(new Cutover(20270226));
        t.purchase(TERMINAL, card, 4_000);
        nothingDue();
        t.system(new Cutover(20270301));
        t.purchase(TERMINAL, card, 8_000);
        t.system(new Cutover(20270302));
        assertThat(settle()).isEqualTo(14_000);
    }

    @Test
    void monthlyOnTheLeapDay() {
        cycle(SettlementCycle.MONTHLY, 31);
        t.system(new Cutover(20280228));
        t.purchase(TERMINAL, card, 1_000);
        nothingDue();                                           // 31 January 2028 (Monday) was the last payout
        t.system(new Cutover(20280229));                        // Tuesday, February's last day
        assertThat(settle()).isEqualTo(1_000);
    }

    @Test
    void weeklyAndMonthlyNeedTheirDayInRange() {
        for (final int bad : new int[] {0, 8, -1}) {
            t.admin("administrator", merchant(MERCHANT, SettlementCycle.WEEKLY, bad, 0));
            assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
            assertThat(t.out.detail).contains("WEEKLY").contains("1 (Monday)..7 (Sunday)");
        }
        for (final int bad : new int[] {0, 32}) {
            t.admin("administrator", merchant(MERCHANT, SettlementCycle.MONTHLY, bad, 0));
            assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
            assertThat(t.out.detail).contains("MONTHLY").contains("1..31");
        }
        assertThat(t.state().merchant(MERCHANT).profile().cycle()).isEqualTo(SettlementCycle.T_PLUS_1);
        t.admin("administrator", merchant(MERCHANT, SettlementCycle.WEEKLY, 7, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.admin("administrator", merchant(MERCHANT, SettlementCycle.MONTHLY, 31, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void aNegativePeriodIsCarriedForwardAsForEveryCycle() {
        cycle(SettlementCycle.WEEKLY, 3);
        t.purchase(TERMINAL, card, 10_000);
        final long rrn = t.out.rrn;
        t.system(new Cutover(20261125));
        assertThat(settle()).isEqualTo(10_000);
        t.pos(r -> t.on(r.kind(dev.prepaid.command.PosKind.REFUND), TERMINAL).amount(4_000).originalRrn(rrn));
        t.system(new Cutover(20261126));
        t.purchase(TERMINAL, card, 1_000);
        t.system(new Cutover(20261202));                        // owed −4,000 + 1,000: nothing paid
        nothingDue();
        assertThat(t.state().merchant(MERCHANT).receivable()).isEqualTo(4_000);
        assertThat(t.state().merchant(MERCHANT).payable()).isEqualTo(1_000);
    }
}
