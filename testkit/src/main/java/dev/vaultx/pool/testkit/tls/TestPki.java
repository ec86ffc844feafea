package dev.vaultx.pool.testkit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away public key infrastructure for tests: one CA and four identities it made, written as PEM,
 * PKCS#12 and JKS files to a directory. Certificates are made with the JDK's {@code keytool} (the JDK has no
 * public API to issue certificates), so {@link #create(Path)} takes a few seconds; {@link #shared()} makes one
 * per JVM.
 *
 * <ul>
 * <li>{@link #server()}: the nodes' certificate, for {@code IP:127.0.0.1} and {@code DNS:localhost}, signed by the CA;
 * <li>{@link #localhostOnlyServer()}: for {@code DNS:localhost} only (a host name mismatch on {@code 127.0.0.1});
 * <li>{@link #untrustedServer()}: self-signed, for both names (no chain to the CA);
 * <li>{@link #client()}: a client certificate ({@code CN=vaultx-pool test client}, RSA) signed by the CA.
 * </ul>
 *
 * <p>Every keystore and key has the password {@link #password()}. Server identities have EC P-256 keys, the
 * client an RSA 2048 key; private keys are also written as unencrypted PKCS#8 PEM files.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class TestPki {

    /**
     * One identity the CA issued (or a self-signed one).
     *
     * @param keyStore a PKCS#12 keystore with the private key and the certificate chain, alias {@code identity}
     * @param certificatePem the certificate followed by the CA's (PEM)
     * @param privateKeyPem the private key, unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----})
     */
    public record Identity(Path keyStore, Path certificatePem, Path privateKeyPem) {
    }

    private static final String SAN_BOTH = "SAN=IP:127.0.0.1,DNS:localhost";
    private static TestPki shared;

    private final Path dir;
    private final String password;
    private final Path caPem;
    private final Path trustStore;
    private final Path trustStoreJks;
    private final Identity server;
    private final Identity localhostOnly;
    private final Identity untrusted;
    private final Identity client;

    private TestPki(Path dir, String password) {
        this.dir = dir;
        this.password = password;
        this.caPem = dir.resolve("ca.pem");
        this.trustStore = dir.resolve("truststore.p12");
        this.trustStoreJks = dir.resolve("truststore.jks");
        this.server = identity("server");
        this.localhostOnly = identity("localhost-server");
        this.untrusted = identity("untrusted-server");
        this.client = identity("client");
    }

    private Identity identity(String name) {
        return new Identity(dir.resolve(name + ".p12"), dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
    }

    /**
     * Makes a new CA and its identities in a directory.
     *
     * @param dir an existing, preferably empty directory
     * @return the PKI
     * @throws IllegalStateException if {@code keytool} fails
     */
    public static TestPki create(Path dir) {
        Objects.requireNonNull(dir, "dir");
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        TestPki pki = new TestPki(dir, "pki-" + HexFormat.of().formatHex(random));
        pki.generate();
        return pki;
    }

    /**
     * @return one PKI per JVM, made on first use in a temporary directory that is deleted when the JVM exits
     */
    public static synchronized TestPki shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("vaultx-test-pki");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "vaultx-test-pki-cleanup"));
                shared = create(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** @return the directory holding every file */
    public Path directory() {
        return dir;
    }

    /** @return the password of every keystore and key (a random test value, distinct per PKI) */
    public String password() {
        return password;
    }

    /** @return the CA certificate, PEM */
    public Path caCertificatePem() {
        return caPem;
    }

    /** @return the CA certificate as PEM text */
    public String caCertificatePemText() {
        try {
            return Files.readString(caPem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a PKCS#12 truststore holding the CA certificate (alias {@code ca}) */
    public Path trustStore() {
        return trustStore;
    }

    /** @return a JKS truststore holding the CA certificate (alias {@code ca}) */
    public Path trustStoreJks() {
        return trustStoreJks;
    }

    /** @return the server identity for {@code IP:127.0.0.1} and {@code DNS:localhost} */
    public Identity server() {
        return server;
    }

    /** @return a server identity for {@code DNS:localhost} only */
    public Identity localhostOnlyServer() {
        return localhostOnly;
    }

    /** @return a self-signed server identity for {@code IP:127.0.0.1} and {@code DNS:localhost}, not signed by the CA */
    public Identity untrustedServer() {
        return untrusted;
    }

    /** @return the client identity, signed by the CA, for client-certificate authentication */
    public Identity client() {
        return client;
    }

    /** @return HTTPS with {@link #server()}, HTTP/2 offered, no client certificate required */
    public HttpsOptions https() {
        return https(server);
    }

    /**
     * @param identity the server identity, e.g. {@link #untrustedServer()}
     * @return HTTPS with that identity, HTTP/2 offered, no client certificate required
     */
    public HttpsOptions https(Identity identity) {
        return HttpsOptions.keyStore(identity.keyStore(), password);
    }

    /** @return HTTPS with {@link #server()} that requires a client certificate signed by this CA */
    public HttpsOptions httpsRequiringClientCertificates() {
        return https().requireClientCertificates(trustStore, password);
    }

    private void generate() {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=vaultx-pool test CA",
                "-ext", "bc:c", "-validity", "30", "-startdate", "-1d", "-keystore", "ca.p12", "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password);
        X509Certificate ca = (X509Certificate) load(dir.resolve("ca.p12")).certificate("ca");
        writePem(caPem, List.of(ca));
        writeTrustStore(trustStore, "PKCS12", ca);
        writeTrustStore(trustStoreJks, "JKS", ca);
        // four keytool pipelines at once: most of their time is JVM start-up
        ExecutorService keytools = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "vaultx-test-pki-keytool");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<?>[] leaves = {
                CompletableFuture.runAsync(() -> issue("server", "CN=127.0.0.1", false, SAN_BOTH, "EKU=serverAuth", ca), keytools),
                CompletableFuture.runAsync(() -> issue("localhost-server", "CN=localhost", false, "SAN=DNS:localhost", "EKU=serverAuth", ca),
                        keytools),
                CompletableFuture.runAsync(() -> selfSigned("untrusted-server", "CN=untrusted vaultx-pool test server"), keytools),
                CompletableFuture.runAsync(() -> issue("client", "CN=vaultx-pool test client", true, null, "EKU=clientAuth", ca), keytools),
            };
            CompletableFuture.allOf(leaves).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            keytools.shutdownNow();
        }
    }

    /** Makes a key pair, has the CA sign it, and writes the identity's files. */
    private void issue(String name, String dname, boolean rsa, String san, String eku, X509Certificate ca) {
        Path self = dir.resolve(name + "-self.p12");
        genkeypair(name, dname, rsa, self, null);
        keytool("-certreq", "-alias", name, "-keystore", self.getFileName().toString(), "-storepass", password,
                "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", password,
                "-infile", name + ".csr", "-outfile", name + ".crt", "-rfc", "-validity", "30", "-startdate", "-1d", "-ext", eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(new String[0]));
        X509Certificate leaf;
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".crt"))) {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate keytool issued for " + name, e);
        }
        writeIdentity(identity(name), load(self).key(name), List.of(leaf, ca));
    }

    private void selfSigned(String name, String dname) {
        Path self = dir.resolve(name + "-self.p12");
        genkeypair(name, dname, false, self, SAN_BOTH);
        Loaded store = load(self);
        writeIdentity(identity(name), store.key(name), List.of((X509Certificate) store.certificate(name)));
    }

    private void genkeypair(String alias, String dname, boolean rsa, Path store, String san) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-dname", dname, "-validity", "30",
                "-startdate", "-1d", "-keystore", store.getFileName().toString(), "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password));
        args.addAll(rsa ? List.of("-keyalg", "RSA", "-keysize", "2048") : List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args.toArray(new String[0]));
    }

    private void writeIdentity(Identity id, PrivateKey key, List<X509Certificate> chain) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("identity", key, password.toCharArray(), chain.toArray(new Certificate[0]));
            try (OutputStream out = Files.newOutputStream(id.keyStore())) {
                ks.store(out, password.toCharArray());
            }
            writePem(id.certificatePem(), chain);
            Files.writeString(id.privateKeyPem(), pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the identity " + id.keyStore(), e);
        }
    }

    private void writeTrustStore(Path file, String type, X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the truststore " + file, e);
        }
    }

    private static void writePem(Path file, List<X509Certificate> certificates) {
        StringBuilder s = new StringBuilder();
        try {
            for (X509Certificate c : certificates) {
                s.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(file, s, StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A loaded PKCS#12 keystore of this PKI. */
    private record Loaded(KeyStore store, char[] password) {
        Certificate certificate(String alias) {
            try {
                return store.getCertificate(alias);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        PrivateKey key(String alias) {
            try {
                return (PrivateKey) store.getKey(alias, password);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Loaded load(Path file) {
        try {
            return new Loaded(KeyStore.getInstance(file.toFile(), password.toCharArray()), password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot open " + file, e);
        }
    }

    /** Runs the JDK's keytool in the PKI's directory; a test-speed JVM (C1 only, serial GC). */
    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        String exe = System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool";
        command.add(Path.of(System.getProperty("java.home"), "bin", exe).toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto", "-noprompt"));
        command.addAll(List.of(args));
        String output;
        int exit;
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish in 2 minutes");
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
        if (exit != 0) {
            throw new IllegalStateException("keytool " + args[0] + " " + args[2] + " failed (exit " + exit + "): " + output.trim());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory: the OS cleans up eventually
        }
    }

    @Override
    public String toString() {
        return "TestPki{" + dir + "}";
    }
}
