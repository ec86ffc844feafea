package dev.vaultx.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link VaultRequest} and {@link VaultResponse}: building, validation, read/write classification, redaction. */
class VaultRequestTest {

    private static final String TOKEN = "s.SECRET-TOKEN-123";

    @Test
    void getBuilderMakesAReadWithoutBody() {
        VaultRequest r = VaultRequest.get("/v1/secret/data/app").build();

        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.path()).isEqualTo("/v1/secret/data/app");
        assertThat(r.body()).isEmpty();
        assertThat(r.headers()).isEmpty();
        assertThat(r.token()).isEmpty();
        assertThat(r.namespace()).isEmpty();
        assertThat(r.timeout()).isEmpty();
        assertThat(r.isRead()).isTrue();
        assertThat(r.isIdempotent()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "Get", " GET ", "list", "head"})
    void methodIsUpperCasedAndTrimmed(String method) {
        VaultRequest r = VaultRequest.builder(method, "/v1/x").build();

        assertThat(r.method()).isEqualTo(method.trim().toUpperCase());
        assertThat(r.isRead()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void writesAreNotIdempotentUnlessMarked(String method) {
        VaultRequest plain = VaultRequest.builder(method, "/v1/x").build();
        VaultRequest marked = VaultRequest.builder(method, "/v1/x").idempotent(true).build();

        assertThat(plain.isRead()).isFalse();
        assertThat(plain.isIdempotent()).isFalse();
        assertThat(marked.isRead()).isFalse();
        assertThat(marked.isIdempotent()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "G ET", "GET1", "GET/", "ÄÖ", "PO-ST"})
    void malformedMethodIsRejected(String method) {
        assertThatThrownBy(() -> VaultRequest.builder(method, "/v1/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("^method: .* \\(expected: .+\\)$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1/secret", "http://vault:8200/v1/x", "/v1/a b", "/v1/a\tb", "/v1/a\nb", "/v1/\u007f"})
    void malformedPathIsRejected(String path) {
        assertThatThrownBy(() -> VaultRequest.builder("GET", path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("path: ")
                .hasMessageEndingWith("(expected: starting with /, no spaces or control characters)");
    }

    @Test
    void nullMethodOrPathIsRejected() {
        assertThatThrownBy(() -> VaultRequest.builder(null, "/v1/x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> VaultRequest.builder("GET", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void pathMayCarryAQuery() {
        assertThat(VaultRequest.get("/v1/secret/data/app?version=2").build().path()).isEqualTo("/v1/secret/data/app?version=2");
    }

    @Test
    void bodyAsTextIsUtf8AndNullMeansNone() {
        VaultRequest r = VaultRequest.builder("POST", "/v1/x").body("{\"k\":\"é\"}").build();

        assertThat(r.body()).isEqualTo("{\"k\":\"é\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(VaultRequest.builder("POST", "/v1/x").body((String) null).build().body()).isEmpty();
        assertThat(VaultRequest.builder("POST", "/v1/x").body((byte[]) null).build().body()).isEmpty();
    }

    @Test
    void tokenAndNamespaceHeadersAreRoutedToTheirFields() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-vault-token", TOKEN);
        headers.put("X-VAULT-NAMESPACE", "team-a");
        headers.put("X-Custom", "1");

        VaultRequest r = VaultRequest.get("/v1/x").headers(headers).build();

        assertThat(r.token()).hasValue(TOKEN);
        assertThat(r.namespace()).hasValue("team-a");
        assertThat(r.headers()).containsOnlyKeys("X-Custom").containsEntry("X-Custom", "1");
    }

    @Test
    void nullHeaderMapAddsNothing() {
        assertThat(VaultRequest.get("/v1/x").headers(null).build().headers()).isEmpty();
    }

    @Test
    void headersAreImmutableAndCopied() {
        VaultRequest.Builder b = VaultRequest.get("/v1/x").header("A", "1");
        VaultRequest first = b.build();
        b.header("B", "2");

        assertThat(first.headers()).containsOnlyKeys("A");
        assertThatThrownBy(() -> first.headers().put("C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "Bad:Name", "Tab\tName", "Ünicode"})
    void malformedHeaderNameIsRejected(String name) {
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").header(name, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s)^header name: .* \\(expected: .+\\)$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\u0000b"})
    void headerValueWithCrLfOrNulIsRejectedWithoutEchoingIt(String value) {
        String secret = "SECRET-VALUE" + value;

        assertThatThrownBy(() -> VaultRequest.get("/v1/x").header("X-Api-Key", secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-Api-Key: <value> (expected: no CR, LF or NUL)");
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").header("X-Vault-Token", secret))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("SECRET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "transfer-encoding", "CONNECTION", "Keep-Alive", "Upgrade", "TE", "Trailer",
        "host", "Proxy-Connection"})
    void framingAndHopByHopHeadersAreRefusedAtBuildNamingTheHeader(String name) {
        VaultRequest.Builder b = VaultRequest.get("/v1/x").header(name, "SECRET-VALUE");

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("header " + name + ": refused")
                .message().doesNotContain("SECRET");
    }

    @Test
    void framingHeadersForwardedAsAMapAreRefusedToo() {
        Map<String, String> incoming = new LinkedHashMap<>();
        incoming.put("Accept", "application/json");
        incoming.put("Content-Length", "42");

        assertThatThrownBy(() -> VaultRequest.get("/v1/x").headers(incoming).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Content-Length");
    }

    @Test
    void headerNamesAreCaseInsensitiveAndTheLastValueWins() {
        VaultRequest r = VaultRequest.get("/v1/x").header("X-Custom", "1").header("x-custom", "2").header("X-Other", "3").build();

        assertThat(r.headers()).containsExactly(Map.entry("x-custom", "2"), Map.entry("X-Other", "3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\u0000b"})
    void namespaceIsValidatedLikeAHeaderValue(String value) {
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").namespace(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace: <value> (expected: no CR, LF or NUL)");
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").header("X-Vault-Namespace", value))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyIsCopiedAtBuildSoLaterChangesToTheArrayChangeNothing() {
        byte[] body = "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8);
        VaultRequest r = VaultRequest.builder("POST", "/v1/x").body(body).build();

        body[2] = 'X';
        r.body()[3] = 'Y';

        assertThat(r.body()).isEqualTo("{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.bodyLength()).isEqualTo(body.length);
        assertThat(r.bodyBuffer().isReadOnly()).isTrue();
        assertThat(r.bodyBuffer().remaining()).isEqualTo(body.length);
    }

    @Test
    void nullHeaderNameOrValueIsRejected() {
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").header(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").header("A", null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s.SECRET TOKEN", "s.SECRET\tTOKEN", "s.SECRET-TÖKEN", "s.SECRET\nTOKEN"})
    void malformedTokenIsRejectedAndRedacted(String token) {
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").token(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token: <redacted> (expected: printable ASCII without spaces)");
    }

    @Test
    void nullTokenAndNamespaceMeanNone() {
        VaultRequest r = VaultRequest.get("/v1/x").token(TOKEN).token(null).namespace("a").namespace(null).build();

        assertThat(r.token()).isEmpty();
        assertThat(r.namespace()).isEmpty();
    }

    @Test
    void timeoutMustBePositive() {
        assertThat(VaultRequest.get("/v1/x").timeout(Duration.ofMillis(1)).build().timeout()).hasValue(Duration.ofMillis(1));
        assertThat(VaultRequest.get("/v1/x").timeout(null).build().timeout()).isEmpty();
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> VaultRequest.get("/v1/x").timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageMatching("^timeout: .* \\(expected: .+\\)$");
    }

    @Test
    void toStringShowsShapeButNeitherTokenNorHeaderValues() {
        VaultRequest r = VaultRequest.builder("POST", "/v1/secret/data/app")
                .token(TOKEN).namespace("team-a").header("X-Api-Key", "HEADER-SECRET").body("{\"password\":\"BODY-SECRET\"}")
                .build();

        String s = r.toString();

        assertThat(s).contains("POST /v1/secret/data/app", "token=<redacted>", "namespace=team-a", "X-Api-Key",
                "body=" + r.body().length + " bytes");
        assertThat(s).doesNotContain("SECRET");
        assertThat(VaultRequest.get("/v1/x").build().toString()).doesNotContain("token");
    }

    @Test
    void toBuilderKeepsEveryValue() {
        VaultRequest r = VaultRequest.builder("PUT", "/v1/a").token(TOKEN).namespace("ns").header("X-A", "1")
                .body("{}").idempotent(true).timeout(Duration.ofSeconds(3)).build();

        VaultRequest copy = r.toBuilder().build();
        VaultRequest changed = r.toBuilder().header("X-B", "2").token("s.other").build();

        assertThat(copy.method()).isEqualTo("PUT");
        assertThat(copy.path()).isEqualTo("/v1/a");
        assertThat(copy.token()).hasValue(TOKEN);
        assertThat(copy.namespace()).hasValue("ns");
        assertThat(copy.headers()).isEqualTo(Map.of("X-A", "1"));
        assertThat(copy.body()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(copy.isIdempotent()).isTrue();
        assertThat(copy.timeout()).hasValue(Duration.ofSeconds(3));
        assertThat(changed.headers()).containsOnlyKeys("X-A", "X-B");
        assertThat(changed.token()).hasValue("s.other");
        assertThat(r.headers()).containsOnlyKeys("X-A");
        assertThat(r.token()).hasValue(TOKEN);
    }

    @Test
    void responseHeadersAreCaseInsensitive() {
        VaultResponse r = new VaultResponse(200, Map.of("Content-Type", List.of("application/json"),
                "X-Vault-Index", List.of("a", "b")), "{}".getBytes(StandardCharsets.UTF_8), URI.create("http://127.0.0.1:8200"));

        assertThat(r.header("content-type")).hasValue("application/json");
        assertThat(r.header("CONTENT-TYPE")).hasValue("application/json");
        assertThat(r.header("x-vault-index")).hasValue("a");
        assertThat(r.headers().get("x-VAULT-index")).containsExactly("a", "b");
        assertThat(r.header("Retry-After")).isEmpty();
        assertThatThrownBy(() -> r.headers().put("X", List.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void responseStatusBodyAndToString() {
        byte[] body = "{\"data\":{\"password\":\"BODY-SECRET\"}}".getBytes(StandardCharsets.UTF_8);
        VaultResponse ok = new VaultResponse(204, Map.of(), new byte[0], URI.create("http://127.0.0.1:8200"));
        VaultResponse error = new VaultResponse(503, Map.of(), body, URI.create("http://127.0.0.1:8201"));

        assertThat(ok.isSuccess()).isTrue();
        assertThat(ok.bodyAsString()).isEmpty();
        assertThat(error.isSuccess()).isFalse();
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.node()).isEqualTo(URI.create("http://127.0.0.1:8201"));
        assertThat(error.bodyAsString()).contains("BODY-SECRET");
        assertThat(error.toString()).isEqualTo("VaultResponse{status=503, node=http://127.0.0.1:8201, body=" + body.length + " bytes}");
        assertThat(new VaultResponse(199, Map.of(), new byte[0], null).isSuccess()).isFalse();
        assertThat(new VaultResponse(299, Map.of(), new byte[0], null).isSuccess()).isTrue();
        assertThat(new VaultResponse(300, Map.of(), new byte[0], null).isSuccess()).isFalse();
    }

    @Test
    void responseFromHeaderPairsKeepsOrderAndMatchesNamesCaseInsensitively() {
        String[] pairs = {"X-Vault-Index", "a", "Content-Type", "application/json", "x-vault-index", "b"};
        VaultResponse r = VaultResponse.ofHeaderPairs(200, pairs, new byte[0], URI.create("http://127.0.0.1:8200"));
        pairs[1] = "changed";

        assertThat(r.header("X-VAULT-INDEX")).hasValue("a");
        assertThat(r.headers().get("X-Vault-Index")).containsExactly("a", "b");
        assertThat(r.headers()).containsOnlyKeys("X-Vault-Index", "Content-Type");
        assertThat(r.headers()).isSameAs(r.headers());
        assertThat(r.header("Retry-After")).isEmpty();
    }

    @Test
    void responseFromHeaderPairsRefusesAnOddOrNullList() {
        URI node = URI.create("http://127.0.0.1:8200");
        assertThatThrownBy(() -> VaultResponse.ofHeaderPairs(200, new String[] {"X-A"}, new byte[0], node))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namesAndValues: 1 elements (expected: an even number, names and values alternating)");
        assertThatThrownBy(() -> VaultResponse.ofHeaderPairs(200, new String[] {"X-A", null}, new byte[0], node))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null element");
    }
}
