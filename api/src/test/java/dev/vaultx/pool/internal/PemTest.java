package dev.vaultx.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vaultx.pool.PoolConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one PEM reader: every key format Vault users meet, with keys made in the test (JDK KeyPairGenerator;
 * PKCS#1, SEC1 and encrypted PKCS#8 encodings by {@code openssl} where it is installed, PKCS#1 also by the test).
 */
class PemTest {

    private static final String PASSWORD = "s3cret-Pa55";
    private static KeyPair rsa;
    private static KeyPair ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateKeys() throws GeneralSecurityException {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
    }

    @Test
    void readsUnencryptedPkcs8RsaAndEcKeys() throws Exception {
        assertSigns(read(pem(dir.resolve("rsa.pem"), "PRIVATE KEY", rsa.getPrivate().getEncoded())), rsa.getPublic());
        assertSigns(read(pem(dir.resolve("ec.pem"), "PRIVATE KEY", ec.getPrivate().getEncoded())), ec.getPublic());
    }

    @Test
    void readsAPkcs1RsaKeyBuiltFromTheJdkEncoding() throws Exception {
        // a PKCS#8 PrivateKeyInfo's OCTET STRING is the PKCS#1 RSAPrivateKey
        byte[] pkcs8 = rsa.getPrivate().getEncoded();
        Der.Element info = Der.read(pkcs8, 0);
        Der.Element version = Der.read(pkcs8, info.offset());
        Der.Element algorithm = Der.read(pkcs8, version.end());
        Der.Element key = Der.read(pkcs8, algorithm.end());
        Path file = pem(dir.resolve("rsa1.pem"), "RSA PRIVATE KEY", key.content());

        assertSigns(read(file), rsa.getPublic());
    }

    @Test
    void readsAPkcs1RsaKeyWrittenByOpenssl() throws Exception {
        Path pkcs8 = pem(dir.resolve("k8.pem"), "PRIVATE KEY", rsa.getPrivate().getEncoded());
        Path pkcs1 = dir.resolve("k1.pem");
        openssl("rsa", "-in", pkcs8.toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertSigns(read(pkcs1), rsa.getPublic());
    }

    @Test
    void readsASec1EcKeyWrittenByOpensslWithItsParametersBlock() throws Exception {
        Path sec1 = dir.resolve("ec.pem");
        // what `openssl ecparam -genkey` writes: an EC PARAMETERS block, then the SEC1 key
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", sec1.toString());
        assertThat(Files.readString(sec1)).contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");
        Path pub = dir.resolve("ec-pub.pem");
        openssl("ec", "-in", sec1.toString(), "-pubout", "-out", pub.toString());

        PrivateKey key = read(sec1);
        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertSigns(key, publicKey(pub, "EC"));
    }

    @Test
    void readsASec1KeyConvertedFromTheJdksEcKey() throws Exception {
        Path pkcs8 = pem(dir.resolve("k8.pem"), "PRIVATE KEY", ec.getPrivate().getEncoded());
        Path sec1 = dir.resolve("sec1.pem");
        openssl("ec", "-in", pkcs8.toString(), "-out", sec1.toString());
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertSigns(read(sec1), ec.getPublic());
    }

    @Test
    void readsAnEncryptedPkcs8KeyWithItsPassword() throws Exception {
        Path pkcs8 = pem(dir.resolve("k8.pem"), "PRIVATE KEY", rsa.getPrivate().getEncoded());
        Path encrypted = dir.resolve("enc.pem");
        openssl("pkcs8", "-topk8", "-in", pkcs8.toString(), "-v2", "aes-256-cbc", "-passout", "pass:" + PASSWORD,
                "-out", encrypted.toString());
        assertThat(Files.readString(encrypted)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        assertSigns(Pem.privateKey("tlsClientKeyFile", encrypted, "tlsClientKeyPassword", PASSWORD.toCharArray()), rsa.getPublic());
    }

    @Test
    void aWrongPasswordNamesThePasswordKeyAndNeverShowsIt() throws Exception {
        Path pkcs8 = pem(dir.resolve("k8.pem"), "PRIVATE KEY", ec.getPrivate().getEncoded());
        Path encrypted = dir.resolve("enc.pem");
        openssl("pkcs8", "-topk8", "-in", pkcs8.toString(), "-v2", "aes-256-cbc", "-passout", "pass:" + PASSWORD,
                "-out", encrypted.toString());

        Throwable wrong = catchThrowable(() -> Pem.privateKey("tlsClientKeyFile", encrypted, "tlsClientKeyPassword",
                "not-the-password".toCharArray()));
        assertThat(wrong).isInstanceOf(PoolConfigException.class)
                .hasMessage("tlsClientKeyPassword: <redacted> (expected: the password of the encrypted PKCS#8 key in "
                        + "tlsClientKeyFile " + encrypted + ")")
                .hasMessageNotContaining("not-the-password");

        Throwable missing = catchThrowable(() -> Pem.privateKey("tlsClientKeyFile", encrypted, "tlsClientKeyPassword", null));
        assertThat(missing).isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith("tlsClientKeyPassword: null (expected: the password of the encrypted PKCS#8 key");
    }

    @Test
    void aPasswordForAnUnencryptedKeyIsRefusedRedacted() throws Exception {
        Path pkcs8 = pem(dir.resolve("k8.pem"), "PRIVATE KEY", rsa.getPrivate().getEncoded());

        Throwable e = catchThrowable(() -> Pem.privateKey("tlsClientKeyFile", pkcs8, "tlsClientKeyPassword", PASSWORD.toCharArray()));

        assertThat(e).isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith("tlsClientKeyPassword: <redacted> (expected: set only for an encrypted key")
                .hasMessageContaining("holds an unencrypted PRIVATE KEY").hasMessageNotContaining(PASSWORD);
    }

    @Test
    void aFileWithoutAKeyNamesTheFileAndTheFormatFoundNeverTheContent() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert-not-key.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThat(catchThrowable(() -> read(cert))).isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith("tlsClientKeyFile: " + cert + " (expected: a PEM private key: PKCS#8")
                .hasMessageEndingWith("; found: BEGIN CERTIFICATE)");

        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThat(catchThrowable(() -> read(text))).hasMessageEndingWith("; found: no PEM block)");

        // a key block that does not decode: the message names the label, and no line of the file
        byte[] broken = rsa.getPrivate().getEncoded().clone();
        broken[10] ^= 0x55;
        Path bad = pem(dir.resolve("bad.pem"), "RSA PRIVATE KEY", broken);
        Throwable e = catchThrowable(() -> read(bad));
        assertThat(e).isInstanceOf(PoolConfigException.class).hasMessageEndingWith("found: RSA PRIVATE KEY that does not decode)");
        for (String line : Files.readAllLines(bad)) {
            if (!line.startsWith("-----")) {
                assertThat(e.getMessage()).doesNotContain(line);
            }
        }
    }

    @Test
    void aLegacyOpensslEncryptedKeyIsRefusedNamingTheFormat() throws Exception {
        Path pkcs8 = pem(dir.resolve("k8.pem"), "PRIVATE KEY", rsa.getPrivate().getEncoded());
        Path legacy = dir.resolve("legacy.pem");
        openssl("rsa", "-in", pkcs8.toString(), "-traditional", "-aes256", "-passout", "pass:" + PASSWORD, "-out", legacy.toString());

        assertThat(catchThrowable(() -> read(legacy))).isInstanceOf(PoolConfigException.class)
                .hasMessageContaining("found: RSA PRIVATE KEY with legacy OpenSSL encryption");
    }

    @Test
    void readsEveryCaFileOfADirectoryAndNamesTheOneThatDoesNotParse() throws Exception {
        Path cas = Files.createDirectory(dir.resolve("cas"));
        selfSigned(cas.resolve("a.pem"), "ca-a");
        selfSigned(cas.resolve("b.crt"), "ca-b");
        Files.createDirectory(cas.resolve("sub")); // not read
        Files.writeString(cas.resolve(".hidden"), "not a certificate"); // not read

        List<X509Certificate> all = Pem.certificatesInDirectory("tlsCaPath", cas);
        assertThat(all).extracting(c -> c.getSubjectX500Principal().getName()).containsExactly("CN=ca-a", "CN=ca-b");

        Path broken = Files.writeString(cas.resolve("c.pem"), "garbage");
        assertThat(catchThrowable(() -> Pem.certificatesInDirectory("tlsCaPath", cas)))
                .isInstanceOf(PoolConfigException.class).hasMessageStartingWith("tlsCaPath: " + broken + " (expected:");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(catchThrowable(() -> Pem.certificatesInDirectory("tlsCaPath", empty)))
                .hasMessage("tlsCaPath: " + empty + " (expected: a directory holding one or more PEM CA certificate files; it has none)");
    }

    private static PrivateKey read(Path file) {
        return Pem.privateKey("tlsClientKeyFile", file, "tlsClientKeyPassword", null);
    }

    private static Path pem(Path file, String label, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n");
    }

    private static PublicKey publicKey(Path pem, String algorithm) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return java.security.KeyFactory.getInstance(algorithm)
                .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static void assertSigns(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] data = "vaultx".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(data);
        byte[] signature = s.sign();
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(publicKey);
        v.update(data);
        assertThat(v.verify(signature)).as("the key read signs what the generated public key verifies").isTrue();
    }

    private void selfSigned(Path cert, String cn) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve(cn + "-key.pem").toString(), "-out", cert.toString(), "-subj", "/CN=" + cn, "-days", "1");
    }

    /** Runs openssl; the test is skipped (not passed) where it is not installed. */
    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "openssl is not installed");
            return;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(p.exitValue()).as("openssl " + String.join(" ", args) + ": " + output).isZero();
    }
}
