package dev.vaultx.pool.itest.classpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool as an ordinary dependency beside an application that pins its own, older httpclient5 (5.4.x, as
 * Spring Boot 3.4 does): every class is on the consumer's runtime class path once, the application's version
 * is the one both use, and both serve requests.
 */
class OneCopyOfEveryClassTest {

    private static SimulatedVaultCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.start(2);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theConsumersRuntimeClassPathHoldsEveryClassOnce() throws IOException {
        List<Path> jars = consumerClassPath();
        assertThat(jars).anySatisfy(j -> assertThat(j.getFileName().toString()).startsWith("vaultx-pool-impl-"));

        Map<String, List<String>> owners = new TreeMap<>();
        int classes = 0;
        for (Path jar : jars) {
            try (JarFile f = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    // module-info and multi-release variants are per-jar by design, not copies
                    if (name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/")) {
                        owners.computeIfAbsent(name, k -> new ArrayList<>()).add(jar.getFileName().toString());
                        classes++;
                    }
                }
            }
        }
        Map<String, List<String>> twice = new TreeMap<>();
        owners.forEach((name, in) -> {
            if (in.size() > 1) {
                twice.put(name, in);
            }
        });
        assertThat(classes).as("classes scanned").isGreaterThan(1000);
        assertThat(twice).as("classes present in more than one jar of " + jars).isEmpty();
        assertThat(owners.get("org/apache/hc/client5/http/impl/async/HttpAsyncClients.class"))
                .containsExactly("httpclient5-" + System.getProperty("consumer.httpclient5.version") + ".jar");
    }

    @Test
    void thePoolRunsOnTheHttpClientTheApplicationPinned() throws Exception {
        String pinned = System.getProperty("consumer.httpclient5.version");
        assertThat(VersionInfo.loadVersionInfo("org.apache.hc.client5", HttpAsyncClients.class.getClassLoader()).getRelease())
                .isEqualTo(pinned);
        assertThat(Path.of(HttpAsyncClients.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName())
                .hasToString("httpclient5-" + pinned + ".jar");

        PoolConfig config = PoolConfig.builder().name("consumer").nodeUris(cluster.urls()).size(2).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            pool.awaitReady(Duration.ofSeconds(5));
            VaultResponse read = pool.request(VaultRequest.get("/v1/secret/data/app").token("t").build());
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.bodyAsString()).contains("\"k\":\"v\"");
            VaultResponse async = pool.requestAsync(VaultRequest.get("/v1/secret/data/app").token("t").build()).get();
            assertThat(async.status()).isEqualTo(200);
        }
    }

    @Test
    void theApplicationsOwnHttpClientServesRequestsBesideThePool() throws Exception {
        URI node = cluster.urls().get(0);
        PoolConfig config = PoolConfig.builder().name("beside").nodeUris(cluster.urls()).size(1).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config);
             CloseableHttpClient own = HttpClients.createDefault()) {
            pool.awaitReady(Duration.ofSeconds(5));
            int status = own.execute(new HttpGet(node + "/v1/sys/health"), r -> {
                EntityUtils.consume(r.getEntity());
                return r.getCode();
            });
            assertThat(status).isIn(200, 429);
            assertThat(pool.request(VaultRequest.get("/v1/secret/data/app").token("t").build()).status()).isEqualTo(200);
        }
    }

    private static List<Path> consumerClassPath() throws IOException {
        List<Path> jars = new ArrayList<>();
        String classPath = Files.readString(Path.of(System.getProperty("consumer.classpath.file"))).trim();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                jars.add(Path.of(entry.trim()));
            }
        }
        assertThat(jars).as("the consumer's runtime class path").isNotEmpty();
        return jars;
    }
}
