package dev.vaultx.pool.impl.internal.tls;

import dev.vaultx.pool.PoolConfigException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM with the JDK alone: X.509 certificates with {@link CertificateFactory}, unencrypted PKCS#8
 * private keys with {@link KeyFactory} (RSA, EC, EdDSA). The configuration was validated when it was built
 * ({@code PoolConfigBuilder.build()}); failures here mean a file changed since, and name the key, never the
 * key material. Stateless.
 */
final class Pem {

    private static final Pattern CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]*?)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

    private Pem() {
    }

    static String read(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new PoolConfigException(key, file, "a readable file");
        }
    }

    /**
     * @param shown how the source appears in a message: a path, or the PEM text's length
     * @return the certificates of the PEM text, in order, at least one
     */
    static List<X509Certificate> certificates(String key, Object shown, String pem) {
        List<X509Certificate> list = new ArrayList<>();
        Matcher m = CERTIFICATE.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                list.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new PoolConfigException(key, shown, "PEM X.509 certificates (-----BEGIN CERTIFICATE-----) that parse");
        }
        if (list.isEmpty()) {
            throw new PoolConfigException(key, shown, "one or more PEM X.509 certificates (-----BEGIN CERTIFICATE-----)");
        }
        return list;
    }

    /** @return the unencrypted PKCS#8 private key in a PEM file */
    static PrivateKey privateKey(String key, Path file) {
        Matcher m = PRIVATE_KEY.matcher(read(key, file));
        String expected = "an unencrypted PKCS#8 private key, RSA or EC (-----BEGIN PRIVATE KEY-----)";
        if (!m.find()) {
            throw new PoolConfigException(key, file, expected);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new PoolConfigException(key, file, expected);
        }
        try {
            for (String algorithm : KEY_ALGORITHMS) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException notThisOne) {
                    // the next algorithm
                }
            }
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        throw new PoolConfigException(key, file, expected);
    }
}
