package dev.prepaid.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A demo operator's session on the admin endpoint for the measurement tools, and their JSON posts. */
final class AdminLogin {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a bootstrap password becomes at the first login. */
    private static final String MEASURED = "-measured";

    private AdminLogin() {
    }

    /**
     * Logs {@code operator} in and returns the token; a password the bootstrap set is changed first (to
     * {@code password-measured}), as every first login must. An operator whose password an earlier tool already
     * changed logs in with the changed one: a switch serving a population is measured by one run after another.
     */
    static String login(final HttpClient http, final String base, final String operator, final String password)
            throws IOException, InterruptedException {
        JsonNode session;
        try {
            session = post(http, base + "/v1/login", null, credentials(operator, password));
        } catch (final IOException refused) {
            try {
                return post(http, base + "/v1/login", null, credentials(operator, password + MEASURED)).get("token")
                        .asText();
            } catch (final IOException again) {
                throw refused;
            }
        }
        final String token = session.get("token").asText();
        if (session.get("mustChangePassword").asBoolean()) {
            post(http, base + "/v1/password", token, "{\"requestId\":" + System.nanoTime()
                    + ",\"currentPassword\":\"" + password + "\",\"newPassword\":\"" + password + MEASURED + "\"}");
        }
        return token;
    }

    private static String credentials(final String operator, final String password) {
        return "{\"operatorId\":\"" + operator + "\",\"password\":\"" + password + "\"}";
    }

    /** POSTs {@code body}; the answer's JSON, or an exception naming the status and body. */
    static JsonNode post(final HttpClient http, final String uri, final String token, final String body)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
