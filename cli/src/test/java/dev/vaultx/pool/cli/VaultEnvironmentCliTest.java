package dev.vaultx.pool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.tls.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a shell set up for Vault's own CLI: an HTTPS node that requires a client certificate, and
 * nothing but VAULT_ADDR, VAULT_CACERT, VAULT_CLIENT_CERT, VAULT_CLIENT_KEY (a PKCS#1 RSA key) and VAULT_TOKEN
 * in the (injected) environment.
 */
class VaultEnvironmentCliTest {

    private static final TestPki PKI = TestPki.shared();
    private static final String TOKEN = "s.env-token-4711";
    private static SimulatedVaultCluster cluster;

    @TempDir
    static Path dir;
    private static Path pkcs1Key;

    @BeforeAll
    static void start() throws Exception {
        cluster = SimulatedVaultCluster.builder().nodes(1).https(PKI.httpsRequiringClientCertificates()).start();
        cluster.put("app", Map.of("k", "v"));
        pkcs1Key = pkcs1(PKI.client().privateKeyPem(), dir.resolve("client-key-pkcs1.pem"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, String> vaultShell() {
        Map<String, String> env = new HashMap<>();
        env.put("VAULT_ADDR", cluster.urls().get(0).toString());
        env.put("VAULT_CACERT", PKI.caCertificatePem().toString());
        env.put("VAULT_CLIENT_CERT", PKI.client().certificatePem().toString());
        env.put("VAULT_CLIENT_KEY", pkcs1Key.toString());
        env.put("VAULT_TOKEN", TOKEN);
        return env;
    }

    @Test
    @SuppressWarnings("unchecked")
    void probeReportsTheNodeActiveWithOnlyVaultVariables() throws Exception {
        assertThat(Files.readString(pkcs1Key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        CliRun r = CliRun.run(vaultShell()::get, "probe", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Map<String, Object>> rows = (List<Map<String, Object>>) CliRun.parseOneObject(r.out()).get("nodes");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("url")).isEqualTo(cluster.urls().get(0).toString());
            assertThat(row.get("role")).isEqualTo("ACTIVE");
            assertThat(row.get("error")).isNull();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void loadSucceedsWithOnlyVaultVariablesAndSendsTheToken() throws Exception {
        cluster.resetJournals();

        CliRun r = CliRun.run(vaultShell()::get, "load", "--path", "/v1/secret/data/app", "--requests", "20",
                "--concurrency", "2", "--json", "-q");

        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Object> json = CliRun.parseOneObject(r.out());
        assertThat(((Number) json.get("succeeded")).longValue()).isEqualTo(20);
        assertThat(((Number) json.get("failed")).longValue()).isZero();
        assertThat(cluster.node(0).requests()).filteredOn(q -> q.path().startsWith("/v1/secret/"))
                .isNotEmpty().allSatisfy(q -> assertThat(q.header("X-Vault-Token")).contains(TOKEN));
        assertThat(r.out() + r.err() + r.systemErr()).doesNotContain(TOKEN);
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutTheClientCertificateTheNodeRefusesTheHandshake() throws Exception {
        Map<String, String> env = vaultShell();
        env.remove("VAULT_CLIENT_CERT");
        env.remove("VAULT_CLIENT_KEY");

        CliRun r = CliRun.run(env::get, "probe", "--json", "--timeout", "2s");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Map<String, Object>> rows = (List<Map<String, Object>>) CliRun.parseOneObject(r.out()).get("nodes");
        assertThat(rows.get(0).get("role")).isEqualTo("UNREACHABLE");
    }

    @Test
    void optionsWinOverVaultVariables() {
        Map<String, String> env = vaultShell();
        env.put("VAULT_CACERT", dir.resolve("no-such-ca.pem").toString());

        CliRun bad = CliRun.run(env::get, "probe", "--json");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid value in the environment variable VAULT_CACERT: VAULT_CACERT: "
                + dir.resolve("no-such-ca.pem") + " (expected: a readable file)");

        CliRun good = CliRun.run(env::get, "probe", "--json", "--ca-cert", PKI.caCertificatePem().toString());
        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(good.out()).contains("\"role\" : \"ACTIVE\"");
    }

    @Test
    void vaultSkipVerifyIsRefusedAndNodesAreRequiredSomewhere() {
        Map<String, String> env = vaultShell();
        env.put("VAULT_SKIP_VERIFY", "true");
        CliRun skip = CliRun.run(env::get, "probe", "--json");
        assertThat(skip.exitCode()).isEqualTo(2);
        assertThat(skip.err()).contains("VAULT_SKIP_VERIFY: true (expected: unset or false", "VAULT_CACERT");

        CliRun none = CliRun.run(name -> null, "probe", "--json");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required option: '--nodes=URL[,URL...]' (or the environment variable VAULT_ADDR)");
    }

    /** Writes the PKCS#1 RSAPrivateKey inside a PKCS#8 PEM key (its PrivateKeyInfo's OCTET STRING) as PEM. */
    private static Path pkcs1(Path pkcs8Pem, Path out) throws Exception {
        String body = Files.readString(pkcs8Pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        int[] pos = {0};
        header(der, pos); // PrivateKeyInfo SEQUENCE: step into it
        int version = header(der, pos); // version INTEGER: skip
        pos[0] += version;
        int algorithm = header(der, pos); // AlgorithmIdentifier SEQUENCE: skip
        pos[0] += algorithm;
        int length = header(der, pos); // privateKey OCTET STRING: its content is the PKCS#1 key
        byte[] rsa = Arrays.copyOfRange(der, pos[0], pos[0] + length);
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(rsa)
                + "\n-----END RSA PRIVATE KEY-----\n";
        return Files.writeString(out, pem, StandardCharsets.US_ASCII);
    }

    /** Reads a DER tag and length at pos, leaves pos at the content, returns the content length. */
    private static int header(byte[] der, int[] pos) {
        pos[0]++; // tag
        int first = der[pos[0]++] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7F); i++) {
            length = (length << 8) | (der[pos[0]++] & 0xFF);
        }
        return length;
    }
}
