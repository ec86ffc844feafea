package dev.vaultx.pool.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small java.net.http helpers for the tests: HTTP/1.1, no redirects followed. */
final class TestHttp {

    static final String TOKEN = "s.test-token";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private TestHttp() {
    }

    static HttpClient client() {
        return CLIENT;
    }

    static HttpRequest.Builder request(URI base, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(5));
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(URI base, String pathAndQuery) {
        return send(request(base, pathAndQuery).GET().build());
    }

    static HttpResponse<String> head(URI base, String pathAndQuery) {
        return send(request(base, pathAndQuery).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    static HttpResponse<String> getWithToken(URI base, String pathAndQuery) {
        return send(request(base, pathAndQuery).header("X-Vault-Token", TOKEN).GET().build());
    }

    static HttpResponse<String> write(URI base, String pathAndQuery, String json) {
        return send(request(base, pathAndQuery).header("X-Vault-Token", TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> method(URI base, String method, String pathAndQuery) {
        return send(request(base, pathAndQuery).header("X-Vault-Token", TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }
}
