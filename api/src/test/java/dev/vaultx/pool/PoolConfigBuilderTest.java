package dev.vaultx.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every configuration value is validated with {@code name: value (expected: ...)}; defaults and normalisation. */
class PoolConfigBuilderTest {

    private static final String NODE = "https://vault-1:8200";

    private static PoolConfigBuilder valid() {
        return PoolConfig.builder().nodes(NODE);
    }

    private static Arguments bad(String key, String value, Consumer<PoolConfigBuilder> setter) {
        return arguments(key, value, setter);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                bad("name", "null", b -> b.name(null)),
                bad("name", "", b -> b.name("")),
                bad("name", "my pool", b -> b.name("my pool")),
                bad("name", "-leading-dash", b -> b.name("-leading-dash")),
                bad("name", "a/b", b -> b.name("a/b")),
                bad("name", "x".repeat(65), b -> b.name("x".repeat(65))),
                bad("size", "0", b -> b.size(0)),
                bad("size", "-1", b -> b.size(-1)),
                bad("size", "10001", b -> b.size(10_001)),
                bad("size", String.valueOf(Integer.MIN_VALUE), b -> b.size(Integer.MIN_VALUE)),
                bad("maxOverflow", "-1", b -> b.maxOverflow(-1)),
                bad("maxOverflow", "10001", b -> b.maxOverflow(10_001)),
                bad("timeout", "null", b -> b.timeout(null)),
                bad("timeout", "PT0S", b -> b.timeout(Duration.ZERO)),
                bad("timeout", "PT-1S", b -> b.timeout(Duration.ofSeconds(-1))),
                bad("maxIdleTime", "null", b -> b.maxIdleTime(null)),
                bad("maxIdleTime", "PT0S", b -> b.maxIdleTime(Duration.ZERO)),
                bad("maxIdleTime", "PT-0.001S", b -> b.maxIdleTime(ms(-1))),
                bad("overflowIdleTimeout", "null", b -> b.overflowIdleTimeout(null)),
                bad("overflowIdleTimeout", "PT0S", b -> b.overflowIdleTimeout(Duration.ZERO)),
                bad("overflowIdleTimeout", "PT-0.001S", b -> b.overflowIdleTimeout(ms(-1))),
                bad("healthCheckInterval", "null", b -> b.healthCheckInterval(null)),
                bad("healthCheckInterval", "PT0.099S", b -> b.healthCheckInterval(ms(99))),
                bad("healthCheckInterval", "PT0S", b -> b.healthCheckInterval(Duration.ZERO)),
                bad("healthCheckInterval", "PT-1S", b -> b.healthCheckInterval(Duration.ofSeconds(-1))),
                bad("healthCheckTimeout", "null", b -> b.healthCheckTimeout(null)),
                bad("healthCheckTimeout", "PT0S", b -> b.healthCheckTimeout(Duration.ZERO)),
                bad("borrowTimeout", "null", b -> b.borrowTimeout(null)),
                bad("borrowTimeout", "PT-0.001S", b -> b.borrowTimeout(ms(-1))),
                bad("requestTimeout", "null", b -> b.requestTimeout(null)),
                bad("requestTimeout", "PT0S", b -> b.requestTimeout(Duration.ZERO)),
                bad("requestTimeout", "PT-5S", b -> b.requestTimeout(Duration.ofSeconds(-5))),
                bad("attemptTimeout", "null", b -> b.attemptTimeout(null)),
                bad("attemptTimeout", "PT0S", b -> b.attemptTimeout(Duration.ZERO)),
                bad("validateAfterInactivity", "null", b -> b.validateAfterInactivity(null)),
                bad("validateAfterInactivity", "PT-1S", b -> b.validateAfterInactivity(Duration.ofSeconds(-1))),
                bad("shutdownTimeout", "null", b -> b.shutdownTimeout(null)),
                bad("shutdownTimeout", "PT-1S", b -> b.shutdownTimeout(Duration.ofSeconds(-1))),
                bad("maxPendingRequests", "0", b -> b.maxPendingRequests(0)),
                bad("maxPendingRequests", "-1", b -> b.maxPendingRequests(-1)),
                bad("maxPendingRequests", "1000001", b -> b.maxPendingRequests(1_000_001)),
                bad("maxResponseBytes", "1023", b -> b.maxResponseBytes(1023)),
                bad("maxResponseBytes", "0", b -> b.maxResponseBytes(0)),
                bad("maxResponseBytes", String.valueOf((1 << 30) + 1), b -> b.maxResponseBytes((1 << 30) + 1)),
                bad("ioThreads", "0", b -> b.ioThreads(0)),
                bad("ioThreads", "257", b -> b.ioThreads(257)),
                bad("namespace", "", b -> b.namespace("")),
                bad("namespace", "   ", b -> b.namespace("   ")),
                bad("namespace", "team\ta", b -> b.namespace("team\ta")),
                bad("namespace", "équipe", b -> b.namespace("équipe")),
                bad("balancingStrategy", "null", b -> b.balancingStrategy(null)),
                bad("maxRetries", "-1", b -> b.maxRetries(-1)),
                bad("maxRetries", "21", b -> b.maxRetries(21)),
                bad("retryBackoff", "null", b -> b.retryBackoff(null)),
                bad("retryBackoff", "PT-0.001S", b -> b.retryBackoff(ms(-1))),
                bad("maxRetryBackoff", "null", b -> b.maxRetryBackoff(null)),
                bad("maxRetryBackoff", "PT-1S", b -> b.maxRetryBackoff(Duration.ofSeconds(-1))),
                bad("retryBudgetRatio", "-0.1", b -> b.retryBudgetRatio(-0.1)),
                bad("retryBudgetRatio", "1.01", b -> b.retryBudgetRatio(1.01)),
                bad("retryBudgetRatio", "NaN", b -> b.retryBudgetRatio(Double.NaN)),
                bad("retryBudgetRatio", "Infinity", b -> b.retryBudgetRatio(Double.POSITIVE_INFINITY)),
                bad("retryBudgetMinPerSecond", "-1", b -> b.retryBudgetMinPerSecond(-1)),
                bad("retryBudgetMinPerSecond", "100001", b -> b.retryBudgetMinPerSecond(100_001)),
                bad("circuitBreakerFailureThreshold", "0", b -> b.circuitBreakerFailureThreshold(0)),
                bad("circuitBreakerFailureThreshold", "1001", b -> b.circuitBreakerFailureThreshold(1001)),
                bad("circuitBreakerFailureRateThreshold", "0", b -> b.circuitBreakerFailureRateThreshold(0)),
                bad("circuitBreakerFailureRateThreshold", "101", b -> b.circuitBreakerFailureRateThreshold(101)),
                bad("circuitBreakerMinimumRequests", "0", b -> b.circuitBreakerMinimumRequests(0)),
                bad("circuitBreakerMinimumRequests", "100001", b -> b.circuitBreakerMinimumRequests(100_001)),
                bad("circuitBreakerWindow", "null", b -> b.circuitBreakerWindow(null)),
                bad("circuitBreakerWindow", "PT0.999S", b -> b.circuitBreakerWindow(ms(999))),
                bad("circuitBreakerDelay", "null", b -> b.circuitBreakerDelay(null)),
                bad("circuitBreakerDelay", "PT0S", b -> b.circuitBreakerDelay(Duration.ZERO)),
                bad("circuitBreakerHalfOpenRequests", "0", b -> b.circuitBreakerHalfOpenRequests(0)),
                bad("circuitBreakerHalfOpenRequests", "101", b -> b.circuitBreakerHalfOpenRequests(101)));
    }

    @ParameterizedTest(name = "{0}({1}) is rejected")
    @MethodSource("invalidValues")
    void invalidValueIsRejectedWithNameValueAndExpected(String key, String value, Consumer<PoolConfigBuilder> setter) {
        PoolConfigBuilder b = valid();

        PoolConfigException e = catchThrowableOfType(PoolConfigException.class, () -> setter.accept(b));

        assertThat(e).as("%s(%s) is rejected", key, value).isNotNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getMessage()).matches(messageFormat(key)).startsWith(key + ": " + value + " (expected: ");
    }

    static Stream<Arguments> invalidNodes() {
        List<String> tooMany = IntStream.rangeClosed(1, 65).mapToObj(i -> "https://vault-" + i + ":8200").toList();
        return Stream.of(
                arguments("empty list", (Consumer<PoolConfigBuilder>) b -> b.nodes(List.of())),
                arguments("empty array", (Consumer<PoolConfigBuilder>) b -> b.nodes(new String[0])),
                arguments("null array", (Consumer<PoolConfigBuilder>) b -> b.nodes((String[]) null)),
                arguments("null list", (Consumer<PoolConfigBuilder>) b -> b.nodes((List<String>) null)),
                arguments("null URI list", (Consumer<PoolConfigBuilder>) b -> b.nodeUris(null)),
                arguments("null element", (Consumer<PoolConfigBuilder>) b -> b.nodes(NODE, null)),
                arguments("null URI element", (Consumer<PoolConfigBuilder>) b -> b.nodeUris(Arrays.asList(URI.create(NODE), null))),
                arguments("blank", (Consumer<PoolConfigBuilder>) b -> b.nodes(" ")),
                arguments("malformed", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://vault 1:8200")),
                arguments("no scheme", (Consumer<PoolConfigBuilder>) b -> b.nodes("vault-1:8200")),
                arguments("no host", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://:8200")),
                arguments("relative", (Consumer<PoolConfigBuilder>) b -> b.nodes("/v1/secret")),
                arguments("ftp scheme", (Consumer<PoolConfigBuilder>) b -> b.nodes("ftp://vault-1:8200")),
                arguments("path", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://vault-1:8200/v1")),
                arguments("query", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://vault-1:8200?x=1")),
                arguments("fragment", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://vault-1:8200#top")),
                arguments("user info", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://admin@vault-1:8200")),
                arguments("port 0", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://vault-1:0")),
                arguments("port too big", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://vault-1:65536")),
                arguments("duplicate", (Consumer<PoolConfigBuilder>) b -> b.nodes(NODE, "https://VAULT-1:8200/")),
                arguments("duplicate by default port", (Consumer<PoolConfigBuilder>) b -> b.nodes("https://v", "https://v:443")),
                arguments("mixed http and https", (Consumer<PoolConfigBuilder>) b -> b.nodes(NODE, "http://vault-2:8200")),
                arguments("65 nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes(tooMany)),
                arguments("65 node URIs", (Consumer<PoolConfigBuilder>) b -> b.nodeUris(tooMany.stream().map(URI::create).toList())));
    }

    @ParameterizedTest(name = "nodes: {0} is rejected")
    @MethodSource("invalidNodes")
    void invalidNodesAreRejected(String what, Consumer<PoolConfigBuilder> setter) {
        PoolConfigBuilder b = PoolConfig.builder();

        PoolConfigException e = catchThrowableOfType(PoolConfigException.class, () -> setter.accept(b));

        assertThat(e).as(what).isNotNull();
        assertThat(e.key()).isEqualTo("nodes");
        assertThat(e.getMessage()).matches(messageFormat("nodes"));
    }

    @Test
    void messagesNameTheOffendingNode() {
        assertThat(nodesMessage(b -> b.nodes("ftp://vault-1:8200")))
                .isEqualTo("nodes: ftp://vault-1:8200 (expected: http:// or https:// with a host and optional port, "
                        + "no path, query or user info)");
        assertThat(nodesMessage(b -> b.nodes(NODE, "https://VAULT-1:8200/")))
                .isEqualTo("nodes: https://vault-1:8200 (expected: each node listed once)");
        assertThat(nodesMessage(b -> b.nodes(NODE, "http://vault-2:8200")))
                .startsWith("nodes: [https://vault-1:8200, http://vault-2:8200] (expected: all http or all https");
        List<String> tooMany = IntStream.rangeClosed(1, 65).mapToObj(i -> "https://vault-" + i + ":8200").toList();
        assertThat(nodesMessage(b -> b.nodes(tooMany))).isEqualTo("nodes: 65 nodes (expected: at most 64 nodes)");
        assertThat(nodesMessage(b -> b.nodes(List.of()))).startsWith("nodes: [] (expected: one or more base URLs");
        assertThat(nodesMessage(b -> b.nodes("https://vault-1:0"))).isEqualTo("nodes: https://vault-1:0 (expected: a port between 1 and 65535)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://admin:s3cr3t-pw@vault-1:8200", "https://admin:s3cr3t-pw@vault-1:8200/v1",
            "http://admin:s3cr3t-pw@vault 1:8200"})
    void userInfoOfARejectedNodeIsNotEchoed(String node) {
        String message = nodesMessage(b -> b.nodes(node));

        assertThat(message).doesNotContain("s3cr3t").doesNotContain("admin").contains("<redacted>@vault");
        assertThat(message).matches(messageFormat("nodes"));
    }

    @Test
    void buildWithoutNodesIsRejected() {
        PoolConfigException e = catchThrowableOfType(PoolConfigException.class, () -> PoolConfig.builder().build());

        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo("nodes");
        assertThat(e.getMessage()).matches(messageFormat("nodes"));
    }

    @Test
    void maxRetryBackoffBelowRetryBackoffIsRejectedAtBuild() {
        PoolConfigBuilder b = valid().retryBackoff(ms(500)).maxRetryBackoff(ms(100));

        PoolConfigException e = catchThrowableOfType(PoolConfigException.class, b::build);

        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo("maxRetryBackoff");
        assertThat(e.getMessage()).matches(messageFormat("maxRetryBackoff"))
                .isEqualTo("maxRetryBackoff: PT0.1S (expected: >= retryBackoff (PT0.5S))");
        // in either order of the setters
        assertThat(catchThrowableOfType(PoolConfigException.class,
                () -> valid().maxRetryBackoff(ms(100)).retryBackoff(ms(500)).build()).key()).isEqualTo("maxRetryBackoff");
        assertThatCode(() -> valid().retryBackoff(ms(100)).maxRetryBackoff(ms(100)).build()).doesNotThrowAnyException();
    }

    @Test
    void rejectedValueLeavesTheBuilderUnchanged() {
        PoolConfigBuilder b = valid().size(7);

        catchThrowableOfType(PoolConfigException.class, () -> b.size(0));

        assertThat(b.build().size()).isEqualTo(7);
    }

    @Test
    void boundaryValuesAreAccepted() {
        List<Executable> ok = new ArrayList<>();
        ok.add(() -> valid().size(1).size(10_000).maxOverflow(0).maxOverflow(10_000).build());
        ok.add(() -> valid().name("a").name("x".repeat(64)).name("Pool_1.prod-eu").build());
        ok.add(() -> valid().healthCheckInterval(ms(100)).circuitBreakerWindow(Duration.ofSeconds(1)).build());
        ok.add(() -> valid().borrowTimeout(Duration.ZERO).validateAfterInactivity(Duration.ZERO)
                .shutdownTimeout(Duration.ZERO).retryBackoff(Duration.ZERO).maxRetryBackoff(Duration.ZERO).build());
        ok.add(() -> valid().timeout(Duration.ofNanos(1)).maxIdleTime(Duration.ofNanos(1)).requestTimeout(Duration.ofNanos(1))
                .attemptTimeout(Duration.ofNanos(1)).healthCheckTimeout(Duration.ofNanos(1))
                .circuitBreakerDelay(Duration.ofNanos(1)).build());
        ok.add(() -> valid().maxPendingRequests(1).maxPendingRequests(1_000_000).build());
        ok.add(() -> valid().maxResponseBytes(1024).maxResponseBytes(1 << 30).ioThreads(1).ioThreads(256).build());
        ok.add(() -> valid().maxRetries(0).maxRetries(20).retryBudgetRatio(0.0).retryBudgetRatio(1.0)
                .retryBudgetMinPerSecond(0).retryBudgetMinPerSecond(100_000).build());
        ok.add(() -> valid().circuitBreakerFailureThreshold(1).circuitBreakerFailureThreshold(1000)
                .circuitBreakerFailureRateThreshold(1).circuitBreakerFailureRateThreshold(100)
                .circuitBreakerMinimumRequests(1).circuitBreakerMinimumRequests(100_000)
                .circuitBreakerHalfOpenRequests(1).circuitBreakerHalfOpenRequests(100).build());
        ok.add(() -> valid().namespace("team-a/sub").namespace(null).build());
        ok.add(() -> PoolConfig.builder().nodes(IntStream.rangeClosed(1, 64).mapToObj(i -> "http://n" + i + ":8200").toList())
                .build());
        for (Executable e : ok) {
            assertThatCode(e::execute).doesNotThrowAnyException();
        }
    }

    @Test
    void defaultsFollowTheSeed() {
        PoolConfig c = valid().build();

        assertThat(c.name()).isEqualTo("default");
        assertThat(c.size()).isEqualTo(10);
        assertThat(c.maxOverflow()).isEqualTo(5);
        assertThat(c.maxConnectionsPerNode()).isEqualTo(15);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxIdleTime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.overflowIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.borrowTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.validateAfterInactivity()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxPendingRequests()).isEqualTo(1000);
        assertThat(c.maxResponseBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(c.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.prewarm()).isTrue();
        assertThat(c.namespace()).isEmpty();
        assertThat(c.balancingStrategy()).isEqualTo(BalancingStrategy.VAULT_AWARE);
        assertThat(c.readFromStandbys()).isFalse();
        assertThat(c.readYourWrites()).isFalse();
        assertThat(c.followRedirects()).isTrue();
        assertThat(c.maxRetries()).isEqualTo(3);
        assertThat(c.retryBackoff()).isEqualTo(ms(50));
        assertThat(c.maxRetryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.retryBudgetRatio()).isEqualTo(0.2);
        assertThat(c.retryBudgetMinPerSecond()).isEqualTo(10);
        assertThat(c.circuitBreakerFailureThreshold()).isEqualTo(5);
        assertThat(c.circuitBreakerFailureRateThreshold()).isEqualTo(50);
        assertThat(c.circuitBreakerMinimumRequests()).isEqualTo(20);
        assertThat(c.circuitBreakerWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.circuitBreakerDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.circuitBreakerHalfOpenRequests()).isEqualTo(3);
    }

    @Test
    void nodesAreNormalisedToSchemeHostPortInOrder() {
        PoolConfig c = PoolConfig.builder()
                .nodes("https://Vault-2.Example.COM:8200/", " https://vault-1 ", "HTTPS://[::1]:8201")
                .build();

        assertThat(c.nodes()).containsExactly(URI.create("https://vault-2.example.com:8200"), URI.create("https://vault-1:443"),
                URI.create("https://[::1]:8201"));
        assertThat(PoolConfig.builder().nodes("http://vault").build().nodes()).containsExactly(URI.create("http://vault:80"));
        assertThat(PoolConfig.builder().nodeUris(List.of(URI.create("http://127.0.0.1:8200"))).build().nodes())
                .containsExactly(URI.create("http://127.0.0.1:8200"));
    }

    @Test
    void nodeListIsImmutable() {
        PoolConfig c = valid().build();

        assertThat(catchThrowableOfType(UnsupportedOperationException.class, () -> c.nodes().add(URI.create("http://x:1"))))
                .isNotNull();
    }

    @Test
    void laterNodesCallReplacesEarlierOne() {
        PoolConfig c = PoolConfig.builder().nodes("https://a:1").nodes("https://b:2", "https://c:3").build();

        assertThat(c.nodes()).extracting(URI::getHost).containsExactly("b", "c");
    }

    @Test
    void everySetterIsReadBack() {
        PoolConfig c = valid().name("payments").size(20).maxOverflow(2).timeout(ms(1500)).maxIdleTime(Duration.ofSeconds(30))
                .overflowIdleTimeout(ms(1200)).healthCheckInterval(Duration.ofSeconds(5)).healthCheckTimeout(ms(700)).borrowTimeout(ms(250))
                .requestTimeout(Duration.ofSeconds(9)).attemptTimeout(Duration.ofSeconds(4)).validateAfterInactivity(Duration.ZERO)
                .shutdownTimeout(Duration.ofSeconds(1)).maxPendingRequests(77).maxResponseBytes(4096).ioThreads(3).prewarm(false)
                .namespace("team-a").balancingStrategy(BalancingStrategy.LEAST_PENDING).readFromStandbys(true)
                .readYourWrites(true).followRedirects(false).maxRetries(5).retryBackoff(ms(20)).maxRetryBackoff(ms(400))
                .retryBudgetRatio(0.5).retryBudgetMinPerSecond(3).circuitBreakerFailureThreshold(7)
                .circuitBreakerFailureRateThreshold(30).circuitBreakerMinimumRequests(11)
                .circuitBreakerWindow(Duration.ofSeconds(20)).circuitBreakerDelay(Duration.ofSeconds(2))
                .circuitBreakerHalfOpenRequests(4).build();

        assertThat(c.name()).isEqualTo("payments");
        assertThat(c.size()).isEqualTo(20);
        assertThat(c.maxOverflow()).isEqualTo(2);
        assertThat(c.maxConnectionsPerNode()).isEqualTo(22);
        assertThat(c.overflowIdleTimeout()).isEqualTo(ms(1200));
        assertThat(c.timeout()).isEqualTo(ms(1500));
        assertThat(c.maxIdleTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.healthCheckTimeout()).isEqualTo(ms(700));
        assertThat(c.borrowTimeout()).isEqualTo(ms(250));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.validateAfterInactivity()).isZero();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxPendingRequests()).isEqualTo(77);
        assertThat(c.maxResponseBytes()).isEqualTo(4096);
        assertThat(c.ioThreads()).isEqualTo(3);
        assertThat(c.prewarm()).isFalse();
        assertThat(c.namespace()).hasValue("team-a");
        assertThat(c.balancingStrategy()).isEqualTo(BalancingStrategy.LEAST_PENDING);
        assertThat(c.readFromStandbys()).isTrue();
        assertThat(c.readYourWrites()).isTrue();
        assertThat(c.followRedirects()).isFalse();
        assertThat(c.maxRetries()).isEqualTo(5);
        assertThat(c.retryBackoff()).isEqualTo(ms(20));
        assertThat(c.maxRetryBackoff()).isEqualTo(ms(400));
        assertThat(c.retryBudgetRatio()).isEqualTo(0.5);
        assertThat(c.retryBudgetMinPerSecond()).isEqualTo(3);
        assertThat(c.circuitBreakerFailureThreshold()).isEqualTo(7);
        assertThat(c.circuitBreakerFailureRateThreshold()).isEqualTo(30);
        assertThat(c.circuitBreakerMinimumRequests()).isEqualTo(11);
        assertThat(c.circuitBreakerWindow()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.circuitBreakerDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.circuitBreakerHalfOpenRequests()).isEqualTo(4);

        // toBuilder copies every value
        PoolConfig copy = c.toBuilder().build();
        assertThat(copy).usingRecursiveComparison().isEqualTo(c);
        PoolConfig changed = c.toBuilder().size(3).build();
        assertThat(changed.size()).isEqualTo(3);
        assertThat(c.size()).isEqualTo(20);
        assertThat(changed).usingRecursiveComparison().ignoringFields("size").isEqualTo(c);
    }

    @Test
    void toStringShowsTheMainValues() {
        PoolConfig c = valid().name("payments").size(3).build();

        assertThat(c.toString()).contains("name=payments", "nodes=[https://vault-1:8200]", "size=3", "maxOverflow=5");
    }

    private static String nodesMessage(Consumer<PoolConfigBuilder> setter) {
        PoolConfigException e = catchThrowableOfType(PoolConfigException.class, () -> setter.accept(PoolConfig.builder()));
        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo("nodes");
        return e.getMessage();
    }

    private static String messageFormat(String key) {
        return "^" + Pattern.quote(key) + ": .* \\(expected: .+\\)$";
    }
}
