package dev.prepaid.journal.tools;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * The tools' standard output is their result (a dump piped into grep, stats into a file), so log lines
 * (Chronicle's warnings, the journal's own) go to standard error, warnings and worse only.
 */
final class ToolLogging {
    private ToolLogging() {
    }

    static void toStandardError() {
        try {
            if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
                return;
            }
            context.reset();
            final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
            encoder.start();
            final ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setContext(context);
            appender.setTarget("System.err");
            appender.setEncoder(encoder);
            appender.start();
            final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.setLevel(Level.WARN);
            root.addAppender(appender);
        } catch (final RuntimeException | LinkageError e) {
            // Logging stays as configured; the tool still works.
        }
    }
}
