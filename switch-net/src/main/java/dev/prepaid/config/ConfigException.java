package dev.prepaid.config;

import java.util.List;

/**
 * A configuration or bootstrap file the switch cannot start with. Each problem is one line that names the
 * file, the key (or entry) and what is wrong, e.g.
 * {@code config/switch.yaml: server.port: expected an integer, found the string "8583x" (line 5)}.
 * A configuration error carries one problem; a bootstrap file may carry several, one line each.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public ConfigException(final String problem) {
        this(List.of(problem), null);
    }

    public ConfigException(final String problem, final Throwable cause) {
        this(List.of(problem), cause);
    }

    /** Several problems, each one line; {@link #getMessage()} joins them with line breaks. */
    public ConfigException(final List<String> problems) {
        this(problems, null);
    }

    private ConfigException(final List<String> problems, final Throwable cause) {
        super(String.join(System.lineSeparator(), requireSome(problems)), cause);
        this.problems = List.copyOf(problems);
    }

    private static List<String> requireSome(final List<String> problems) {
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems;
    }

    /** The problems, one line each, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
