package dev.prepaid.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the CLI sends its requests and keeps its session, from (first that says) the command line, the
 * environment, the config file, the default:
 *
 * <ul>
 * <li>endpoint: {@code --endpoint}, {@code PREPAID_ADMIN_ENDPOINT}, {@code endpoint:} of the config file,
 *     {@code http://127.0.0.1:8584};
 * <li>CA: {@code --ca}, {@code PREPAID_ADMIN_CA}, {@code ca:} of the config file (relative to that file), none
 *     (the system's CAs);
 * <li>config file: {@code PREPAID_ADMIN_CONFIG}, {@code ~/.config/prepaid-admin/config} (may be absent);
 * <li>session file: {@code PREPAID_ADMIN_SESSION}, {@code ~/.config/prepaid-admin/session}.
 * </ul>
 *
 * @param defaultSessionLocation whether the session file is the default one, in a directory of this tool's own
 *        (which it may make owner-only), not one the user named
 */
record Settings(URI endpoint, Path ca, Path sessionFile, boolean defaultSessionLocation) {
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8584";
    static final String ENDPOINT_VARIABLE = "PREPAID_ADMIN_ENDPOINT";
    static final String CA_VARIABLE = "PREPAID_ADMIN_CA";
    static final String CONFIG_VARIABLE = "PREPAID_ADMIN_CONFIG";
    static final String SESSION_VARIABLE = "PREPAID_ADMIN_SESSION";
    private static final List<String> CONFIG_KEYS = List.of("endpoint", "ca");

    static Settings resolve(final String endpointOption, final Path caOption, final Map<String, String> env) {
        final Path directory = home(env).resolve(".config").resolve("prepaid-admin");
        final String configGiven = nonEmpty(env.get(CONFIG_VARIABLE));
        final Path configFile = configGiven != null ? Path.of(configGiven) : directory.resolve("config");
        if (configGiven != null && !Files.isRegularFile(configFile)) {
            throw CliFailure.badInput(CONFIG_VARIABLE + " names " + configFile + ", which is no file");
        }
        final Map<String, String> config = Files.isRegularFile(configFile) ? readConfig(configFile) : Map.of();

        final String endpointText;
        final String endpointSource;
        if (endpointOption != null) {
            endpointText = endpointOption;
            endpointSource = "--endpoint";
        } else if (nonEmpty(env.get(ENDPOINT_VARIABLE)) != null) {
            endpointText = env.get(ENDPOINT_VARIABLE);
            endpointSource = ENDPOINT_VARIABLE;
        } else if (config.containsKey("endpoint")) {
            endpointText = config.get("endpoint");
            endpointSource = configFile + " (endpoint:)";
        } else {
            endpointText = DEFAULT_ENDPOINT;
            endpointSource = "the default";
        }
        final URI endpoint = endpoint(endpointText, endpointSource);

        Path ca = null;
        if (caOption != null) {
            ca = caOption;
        } else if (nonEmpty(env.get(CA_VARIABLE)) != null) {
            ca = Path.of(env.get(CA_VARIABLE));
        } else if (config.containsKey("ca")) {
            ca = configFile.toAbsolutePath().getParent().resolve(config.get("ca"));
        }
        if (ca != null && !Files.isRegularFile(ca)) {
            throw CliFailure.badInput("the CA certificate " + ca + " is no file (--ca, " + CA_VARIABLE + " or ca: in "
                    + configFile + ")");
        }
        final String sessionGiven = nonEmpty(env.get(SESSION_VARIABLE));
        final Path session = sessionGiven != null ? Path.of(sessionGiven) : directory.resolve("session");
        return new Settings(endpoint, ca, session, sessionGiven == null);
    }

    private static Path home(final Map<String, String> env) {
        final String home = nonEmpty(env.get("HOME"));
        return Path.of(home != null ? home : System.getProperty("user.home"));
    }

    private static String nonEmpty(final String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** An endpoint is a scheme, a host and a port: nothing after it (the CLI adds the /v1/ paths). */
    static URI endpoint(final String text, final String source) {
        final URI uri;
        try {
            uri = new URI(text.trim());
        } catch (final URISyntaxException e) {
            throw CliFailure.badInput(source + ": '" + text + "' is not an endpoint like https://switch.example:8584");
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw CliFailure.badInput(source + ": '" + text + "' is not an endpoint like https://switch.example:8584"
                    + " (http or https, a host, a port, nothing after it)");
        }
        final int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return URI.create(scheme + "://" + uri.getRawAuthority().replaceFirst(":[0-9]+$", "") + ":" + port);
    }

    /** {@code key: value} lines; blank lines and {@code #} comments are skipped; an unknown key is an error. */
    static Map<String, String> readConfig(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw CliFailure.badInput("cannot read the config file " + file + ": " + e.getMessage());
        }
        final Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final int colon = line.indexOf(':');
            final String key = colon < 0 ? line : line.substring(0, colon).strip();
            if (colon < 0 || !CONFIG_KEYS.contains(key)) {
                throw CliFailure.badInput(file + " line " + (i + 1) + ": expected 'endpoint: URL' or 'ca: FILE', got '"
                        + line + "'");
            }
            String value = line.substring(colon + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            if (values.put(key, value) != null) {
                throw CliFailure.badInput(file + " line " + (i + 1) + ": " + key + " is given twice");
            }
        }
        return values;
    }
}
