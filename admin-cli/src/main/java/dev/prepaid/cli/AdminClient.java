package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP/1.1 + JSON to the admin endpoint (docs/admin-api.md) with {@link HttpClient}: https with the system's CAs or
 * only the one CA (or self-signed certificate) the operator names, never without checking. A request that got no
 * answer (a timeout, a lost connection) or a 503 / 429 is sent again — a write with the same request id, so the
 * ledger applies it at most once — a few times, waiting longer each time.
 */
final class AdminClient {
    /** An answer: its HTTP status, its JSON body, and how many times the request was sent to get it. */
    record Answer(int status, JsonNode body, int attempts) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String error() {
            return body.path("error").asText("");
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a login's Argon2id work on a busy switch; a write waits for the journal. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final CliContext.Retry retry;
    private final ObjectMapper json;
    private final HttpClient http;

    AdminClient(final URI endpoint, final Path ca, final CliContext.Retry retry, final ObjectMapper json) {
        this.endpoint = endpoint;
        this.retry = retry;
        this.json = json;
        final HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (ca != null) {
            builder.sslContext(trusting(ca));
        }
        this.http = builder.build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** An SSL context that trusts exactly the certificates of {@code file} (PEM or DER; a CA or a self-signed one). */
    static SSLContext trusting(final Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            final Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw CliFailure.badInput("the CA file " + file + " holds no certificate (PEM: -----BEGIN CERTIFICATE-----)");
            }
            final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (final Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (final IOException | GeneralSecurityException e) {
            throw CliFailure.badInput("cannot use " + file + " as the CA certificate (a PEM certificate is expected): "
                    + e.getMessage());
        }
    }

    Answer get(final String pathAndQuery, final String token) {
        return send("GET", pathAndQuery, null, token, true);
    }

    /** A GET whose 200 answer is a file (a report as CSV, XLSX or HTML): its bytes; else the JSON answer, as for get. */
    record FileAnswer(byte[] bytes, String contentType, Answer failure) {
    }

    FileAnswer getFile(final String pathAndQuery, final String token) {
        final HttpRequest built = request("GET", pathAndQuery, null, token);
        try {
            final HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                return new FileAnswer(response.body(), response.headers().firstValue("Content-Type").orElse(""), null);
            }
            return new FileAnswer(null, null, new Answer(response.statusCode(), body(response), 1));
        } catch (final ConnectException e) {
            throw new CliFailure(Exit.UNREACHABLE, "cannot connect to " + endpoint + " (" + reason(e) + "): is the"
                    + " switch running with its admin endpoint on?");
        } catch (final IOException e) {
            throw new CliFailure(Exit.UNREACHABLE, "no file from " + endpoint + " (" + reason(e) + "); a read changes"
                    + " nothing, run it again");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(Exit.UNREACHABLE, "interrupted while waiting for " + endpoint);
        }
    }

    /**
     * A POST. {@code repeatable}: whether a request that may have reached the switch can be sent again — true for
     * every write with a request id; false for a login, where a repeat would count a wrong password twice (a 503
     * or 429, which changed nothing, is repeated anyway).
     */
    Answer post(final String path, final JsonNode body, final String token, final boolean repeatable) {
        return send("POST", path, body, token, repeatable);
    }

    private Answer send(final String method, final String path, final JsonNode body, final String token,
            final boolean repeatable) {
        final HttpRequest built = request(method, path, body, token);
        Duration pause = retry.firstPause();
        for (int attempt = 1; ; attempt++) {
            final boolean last = attempt >= retry.attempts();
            try {
                final HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                final Answer answer = new Answer(response.statusCode(), body(response), attempt);
                if ((answer.status() == 503 || answer.status() == 429) && !last) {
                    pause = pause(pause);
                    continue;
                }
                return answer;
            } catch (final ConnectException e) {
                throw new CliFailure(Exit.UNREACHABLE, "cannot connect to " + endpoint + " (" + reason(e) + "): is the"
                        + " switch running with its admin endpoint on? (the endpoint comes from --endpoint, "
                        + Settings.ENDPOINT_VARIABLE + " or the config file)");
            } catch (final SSLException e) {
                throw new CliFailure(Exit.UNREACHABLE, "TLS with " + endpoint + " failed (" + reason(e) + "): if the"
                        + " endpoint's certificate is from its own CA or self-signed, trust that certificate with --ca"
                        + " FILE (or ca: in the config file); an http:// endpoint speaks no TLS");
            } catch (final HttpConnectTimeoutException e) {
                if (last) {
                    throw new CliFailure(Exit.UNREACHABLE, "no connection to " + endpoint + " within "
                            + CONNECT_TIMEOUT.toSeconds() + " s, " + attempt + " attempts: is the address right and the"
                            + " switch reachable from here?");
                }
            } catch (final HttpTimeoutException e) {
                if (last || !repeatable) {
                    throw new CliFailure(Exit.UNREACHABLE, "no answer from " + endpoint + " within "
                            + REQUEST_TIMEOUT.toSeconds() + " s" + (repeatable ? ", " + attempt + " attempts with the same"
                            + " request id" : "") + ": the switch may be overloaded; a write may have been applied, so"
                            + " look (show, list) before running it again");
                }
            } catch (final IOException e) {
                if (last || !repeatable) {
                    throw new CliFailure(Exit.UNREACHABLE, "the connection to " + endpoint + " was lost (" + reason(e)
                            + ")" + (repeatable ? ", " + attempt + " attempts with the same request id" : "")
                            + "; a write may have been applied, so look (show, list) before running it again");
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(Exit.UNREACHABLE, "interrupted while waiting for " + endpoint);
            }
            pause = pause(pause);
        }
    }

    private HttpRequest request(final String method, final String path, final JsonNode body, final String token) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        final byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot write a request as JSON", e);
        }
        return request.header("Content-Type", "application/json; charset=utf-8")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    }

    private static Duration pause(final Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(Exit.UNREACHABLE, "interrupted while waiting to retry");
        }
        return pause.multipliedBy(2);
    }

    private JsonNode body(final HttpResponse<byte[]> response) {
        try {
            final JsonNode node = response.body().length == 0 ? null : json.readTree(response.body());
            if (node != null && node.isObject() || node != null && node.isArray()) {
                return node;
            }
        } catch (final IOException e) {
            // answered below: whatever sits at that address is not the admin endpoint
        }
        final int exit = Exit.ofStatus(response.statusCode());
        throw new CliFailure(exit == Exit.OK ? Exit.INTERNAL : exit, endpoint + " answered HTTP "
                + response.statusCode() + " without a JSON body: is that the switch's admin endpoint?");
    }

    private static String reason(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
