package dev.prepaid.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/** A small client of the admin endpoint for tests: JSON in, status and JSON out. */
final class AdminHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong REQUEST_IDS = new AtomicLong(System.nanoTime() & 0xFFFF_FFFFL);

    record Answer(int status, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient client;
    private final String base;

    AdminHttp(final String base, final SSLContext ssl) {
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
        this.base = base;
    }

    static AdminHttp of(final SwitchServer server) {
        return new AdminHttp("http://127.0.0.1:" + server.adminPort(), null);
    }

    /** A fresh request id, as a client draws one per request. */
    static long requestId() {
        return REQUEST_IDS.incrementAndGet();
    }

    Answer get(final String path, final String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
    }

    Answer post(final String path, final String token, final String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), token);
    }

    Answer post(final String path, final String token, final Object body) {
        try {
            return post(path, token, JSON.writeValueAsString(body));
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer send(final HttpRequest.Builder request, final String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            final HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body().isEmpty() ? "{}" : response.body()));
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in; when the password must be changed first, changes it to {@code password + "-new"} and logs in again. */
    String login(final String operatorId, final String password) {
        final Answer login = post("/v1/login", null, "{\"operatorId\":\"" + operatorId + "\",\"password\":\"" + password
                + "\"}");
        if (login.status() != 200) {
            throw new AssertionError("login of " + operatorId + ": " + login);
        }
        final String token = login.body().get("token").asText();
        if (!login.body().get("mustChangePassword").asBoolean()) {
            return token;
        }
        final Answer changed = post("/v1/password", token, "{\"requestId\":" + requestId() + ",\"currentPassword\":\""
                + password + "\",\"newPassword\":\"" + password + "-new\"}");
        if (changed.status() != 200) {
            throw new AssertionError("password change of " + operatorId + ": " + changed);
        }
        return token;
    }

    /** {@code POST /v1/commands/TYPE} with a fresh request id. */
    Answer command(final String token, final String type, final String fieldsJson) {
        return command(token, type, requestId(), fieldsJson);
    }

    Answer command(final String token, final String type, final long requestId, final String fieldsJson) {
        return post("/v1/commands/" + type, token, "{\"requestId\":" + requestId + ",\"fields\":" + fieldsJson + "}");
    }
}
