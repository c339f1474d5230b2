package dev.prepaid.config;

/**
 * The Prometheus endpoint ({@code metrics} in the configuration): text exposition format over HTTP.
 *
 * @param enabled false: no metrics listener
 * @param host address to listen on
 * @param port TCP port (0: any free port, for tests)
 */
public record MetricsSettings(boolean enabled, String host, int port) {
    public static final int DEFAULT_PORT = 9464;
}
