package dev.vaultx.pool.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.web.client.ResourceAccessException;

/**
 * The token given to {@code VaultTemplate} appears in no log line (the pool's and Spring's, at debug) and in
 * no exception, whether the cluster refuses it, no node can serve or the pool is closed.
 */
class TokenSecrecyTest {

    private static final String ACCEPTED = "s.accepted-token-91d0";
    private static final String WRONG = "s.wrong-token-4be2c7";
    private static final Path LOG = Path.of("target", "spring-test.log");

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.builder().nodes(2).token(ACCEPTED).start();
        pool = AsyncHttpConnectionPool.start(PoolConfig.builder().name("spring-secrets").nodeUris(cluster.urls())
                .size(1).maxOverflow(1).ioThreads(1).maxRetries(1)
                .timeout(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(2)).build());
        pool.awaitReady(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private VaultTemplate template(String token) {
        return new VaultTemplate(VaultEndpoint.from(URI.create("http://vault:8200")), new VaultPoolRequestFactory(pool),
                new SimpleSessionManager(new TokenAuthentication(token)));
    }

    @Test
    void tokenAppearsInNoExceptionAndNoLogLine() throws IOException {
        long logStart = Files.exists(LOG) ? Files.size(LOG) : 0;
        VaultTemplate accepted = template(ACCEPTED);
        VaultTemplate wrong = template(WRONG);
        accepted.opsForVersionedKeyValue("secret").put("app", Map.of("k", "v"));

        Throwable refused = catchThrowable(() -> wrong.opsForVersionedKeyValue("secret").get("app"));
        for (int i = 0; i < cluster.size(); i++) {
            cluster.node(i).stop();
        }
        Throwable unreachable = catchThrowable(() -> accepted.opsForVersionedKeyValue("secret").get("app"));
        pool.close();
        Throwable closed = catchThrowable(() -> accepted.read("auth/token/lookup-self"));

        assertThat(refused).isInstanceOf(VaultException.class).hasMessageContaining("permission denied");
        // Spring reports the pool's failure as an I/O error whose cause is the pool's exception
        assertThat(unreachable).isInstanceOf(ResourceAccessException.class).cause().isInstanceOf(IOException.class)
                .cause().isInstanceOfAny(VaultTransportException.class, NoAvailableNodeException.class);
        assertThat(closed).isInstanceOf(ResourceAccessException.class).cause().isInstanceOf(IOException.class)
                .cause().isInstanceOf(PoolClosedException.class);
        for (Throwable t : new Throwable[] {refused, unreachable, closed}) {
            assertThat(stackTraceOf(t)).doesNotContain(ACCEPTED).doesNotContain(WRONG);
        }
        String log = new String(Files.readAllBytes(LOG), StandardCharsets.UTF_8).substring((int) logStart);
        assertThat(log).as("the log written by this test").isNotEmpty().doesNotContain(ACCEPTED).doesNotContain(WRONG);
    }

    private static String stackTraceOf(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString();
    }
}
