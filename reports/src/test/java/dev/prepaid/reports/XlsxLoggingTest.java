package dev.prepaid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * POI logs through the Log4j API; the project logs through SLF4J and logback. Without a Log4j provider on the class
 * path the Log4j API prints {@code ERROR Log4j API could not find a logging provider} on stderr when it is first used
 * (and drops POI's messages). The reports module carries the bridge (log4j-to-slf4j), so the provider is SLF4J's and
 * POI's messages go where the switch's go. Without the bridge this test fails, and the surefire output of this module
 * shows that stderr line.
 */
class XlsxLoggingTest {
    @Test
    void log4jReachesSlf4jThroughTheBridge() {
        assertThat(org.apache.logging.log4j.LogManager.getFactory().getClass().getName())
                .isEqualTo("org.apache.logging.slf4j.SLF4JLoggerContextFactory");
        assertThat(org.apache.logging.log4j.LogManager.getLogger(XlsxReport.class).getClass().getName())
                .as("a Log4j logger is an SLF4J one").startsWith("org.apache.logging.slf4j.");
        assertThat(XlsxReport.bytes(Reports.build(ReportKind.MERCHANT_SUMMARY, new DateRange(20261130, 20261130),
                Filter.ALL, java.util.List.of(SyntheticFigures.day(20261130, 7, 3, 2))))).isNotEmpty();
    }
}
