package dev.vaultx.pool.internal;

import dev.vaultx.pool.PoolConfigException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The one PEM reader of vaultx-pool, with the JDK alone: used by {@code PoolConfigBuilder.build()} to check the
 * TLS files and by the transport to load them, so both accept exactly the same files.
 *
 * <ul>
 * <li>certificates: {@code -----BEGIN CERTIFICATE-----} blocks (X.509), from text, a file or every file of a
 *     directory ({@code VAULT_CAPATH});</li>
 * <li>private keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, EdDSA, RSASSA-PSS), PKCS#1 RSA
 *     ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa -traditional} writes) and SEC1 EC
 *     ({@code BEGIN EC PRIVATE KEY}, what Vault's PKI engine issues for EC keys), both converted to PKCS#8 by
 *     wrapping their DER in a PrivateKeyInfo with the right algorithm identifier (and, for EC, the key's named
 *     curve); encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2 as {@code openssl pkcs8 -topk8}
 *     writes it, or PBES1) with a password.</li>
 * </ul>
 *
 * <p>Every failure is a {@link PoolConfigException} naming the configuration key and the file (or PEM text by
 * its length) and the format found (the PEM labels), never key material or a password (shown as
 * {@code <redacted>}). Decoded key bytes and password copies are zeroed after use. Not an API (see the package).
 * Stateless and thread-safe.
 */
public final class Pem {

    /** How a secret shows in messages. */
    public static final String REDACTED = "<redacted>";

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]*");
    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH");
    private static final String KEY_FORMATS = "a PEM private key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA (BEGIN RSA PRIVATE KEY), "
            + "SEC1 EC (BEGIN EC PRIVATE KEY), or encrypted PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY) with its password";

    private Pem() {
    }

    /** @return how PEM text is shown in messages: its size, not its content */
    public static String shown(String pem) {
        return pem == null ? "null" : "<PEM text, " + pem.length() + " characters>";
    }

    /**
     * @return the file's content (PEM is ASCII; read as ISO-8859-1 so no byte can fail to decode)
     * @throws PoolConfigException {@code key: file (expected: a readable file)}
     */
    public static String read(String key, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new PoolConfigException(key, file, "a readable file");
        }
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new PoolConfigException(key, file, "a readable file");
        }
    }

    /**
     * @param shown how the source appears in a message: a path, or {@link #shown(String)} of the text
     * @return the certificates of the PEM text, in order, at least one
     * @throws PoolConfigException if there is none or one does not parse
     */
    public static List<X509Certificate> certificates(String key, Object shown, String pem) {
        List<X509Certificate> list = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    byte[] der = decode(m.group(2));
                    list.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new PoolConfigException(key, shown, "PEM X.509 certificates (BEGIN CERTIFICATE) that parse");
        }
        if (list.isEmpty()) {
            throw new PoolConfigException(key, shown, "one or more PEM X.509 certificates (BEGIN CERTIFICATE); found: " + found(pem));
        }
        return list;
    }

    /** @return the certificates of a PEM file, at least one */
    public static List<X509Certificate> certificates(String key, Path file) {
        return certificates(key, file, read(key, file));
    }

    /**
     * Reads a CA directory as Vault's {@code VAULT_CAPATH}: every regular, non-hidden file directly in it is a
     * PEM file of certificates (subdirectories are not read).
     *
     * @return the certificates of all its files, in file name order, at least one
     * @throws PoolConfigException naming the directory, or the file that does not parse
     */
    public static List<X509Certificate> certificatesInDirectory(String key, Path dir) {
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            throw new PoolConfigException(key, dir, "a readable directory of PEM CA certificate files");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new PoolConfigException(key, dir, "a readable directory of PEM CA certificate files");
        }
        List<X509Certificate> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(certificates(key, f));
        }
        if (all.isEmpty()) {
            throw new PoolConfigException(key, dir, "a directory holding one or more PEM CA certificate files; it has none");
        }
        return all;
    }

    /**
     * @param key the key of the file, e.g. {@code tlsClientKeyFile}
     * @param passwordKey the key of the password, e.g. {@code tlsClientKeyPassword}, named when it is wrong or missing
     * @param password the password of an encrypted PKCS#8 key, or {@code null}; not kept, not shown
     * @return the private key of the first key block in the file
     * @throws PoolConfigException naming the file and the format found, or the password key ({@code <redacted>})
     */
    public static PrivateKey privateKey(String key, Path file, String passwordKey, char[] password) {
        String pem = read(key, file);
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String label = m.group(1);
            switch (label) {
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> {
                    return key(key, file, label, m.group(2), passwordKey, password);
                }
                default -> {
                    // a certificate, EC PARAMETERS (openssl ecparam -genkey writes them first), ...: look further
                }
            }
        }
        throw new PoolConfigException(key, file, KEY_FORMATS + "; found: " + found(pem));
    }

    private static PrivateKey key(String key, Path file, String label, String body, String passwordKey, char[] password) {
        if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
            throw new PoolConfigException(key, file, KEY_FORMATS + "; found: " + label + " with legacy OpenSSL encryption "
                    + "(Proc-Type: 4,ENCRYPTED), which is not supported: convert it with openssl pkcs8 -topk8");
        }
        boolean encrypted = label.equals("ENCRYPTED PRIVATE KEY");
        if (encrypted && password == null) {
            throw new PoolConfigException(passwordKey, null, "the password of the encrypted PKCS#8 key in " + key + " " + file);
        }
        if (!encrypted && password != null) {
            throw new PoolConfigException(passwordKey, REDACTED, "set only for an encrypted key (BEGIN ENCRYPTED PRIVATE KEY); "
                    + key + " " + file + " holds an unencrypted " + label);
        }
        byte[] der = null;
        byte[] pkcs8 = null;
        try {
            der = decode(body);
            switch (label) {
                case "RSA PRIVATE KEY" -> {
                    pkcs8 = Der.pkcs8(Der.RSA_ENCRYPTION, Der.write(Der.NULL), der);
                    return generate(pkcs8, List.of("RSA"));
                }
                case "EC PRIVATE KEY" -> {
                    pkcs8 = Der.pkcs8(Der.EC_PUBLIC_KEY, curveOf(der), der);
                    return generate(pkcs8, List.of("EC"));
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    pkcs8 = decrypt(der, password, passwordKey, key, file);
                    return generate(pkcs8, PKCS8_ALGORITHMS);
                }
                default -> {
                    return generate(der, PKCS8_ALGORITHMS);
                }
            }
        } catch (PoolConfigException wrongPassword) {
            throw wrongPassword;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new PoolConfigException(key, file, KEY_FORMATS + "; found: " + label + " that does not decode");
        } finally {
            zero(der);
            zero(pkcs8);
        }
    }

    /** @return the named curve of a SEC1 ECPrivateKey (its {@code [0] parameters}), as a whole OBJECT IDENTIFIER TLV */
    private static byte[] curveOf(byte[] sec1) {
        Der.Element seq = Der.read(sec1, 0);
        if (seq.tag() != Der.SEQUENCE) {
            throw new IllegalArgumentException("not a SEQUENCE");
        }
        int pos = seq.offset();
        while (pos < seq.end()) {
            Der.Element e = Der.read(sec1, pos);
            if (e.tag() == Der.CONTEXT_0) {
                Der.Element oid = Der.read(sec1, e.offset());
                if (oid.tag() != Der.OBJECT_IDENTIFIER) {
                    throw new IllegalArgumentException("explicit EC parameters, not a named curve");
                }
                return Der.write(Der.OBJECT_IDENTIFIER, oid.content());
            }
            pos = e.end();
        }
        throw new IllegalArgumentException("SEC1 key without its curve");
    }

    private static byte[] decrypt(byte[] der, char[] password, String passwordKey, String key, Path file)
            throws GeneralSecurityException {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an EncryptedPrivateKeyInfo");
        }
        // PBES2 names its real scheme in the parameters (PBEWithHmacSHA256AndAES_256); PBES1 in the algorithm id
        AlgorithmParameters params = info.getAlgParameters();
        String algorithm = params != null && params.toString().startsWith("PBEWith") ? params.toString() : info.getAlgName();
        PBEKeySpec spec = new PBEKeySpec(password);
        try {
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(spec), params);
            PKCS8EncodedKeySpec keySpec = info.getKeySpec(cipher);
            return keySpec.getEncoded();
        } catch (java.security.spec.InvalidKeySpecException wrongPassword) {
            throw new PoolConfigException(passwordKey, REDACTED, "the password of the encrypted PKCS#8 key in " + key + " " + file);
        } finally {
            spec.clearPassword();
        }
    }

    private static PrivateKey generate(byte[] pkcs8, List<String> algorithms) throws GeneralSecurityException {
        GeneralSecurityException last = new GeneralSecurityException("no algorithm");
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException notThisOne) {
                last = notThisOne;
            }
        }
        throw last;
    }

    private static byte[] decode(String body) {
        if (!BASE64.matcher(body).matches()) {
            throw new IllegalArgumentException("not base64");
        }
        return Base64.getMimeDecoder().decode(body);
    }

    /** @return the PEM labels in the text, e.g. {@code BEGIN CERTIFICATE, BEGIN RSA PRIVATE KEY}, or that there is none */
    private static String found(String pem) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher m = Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----").matcher(pem);
        while (m.find()) {
            labels.add("BEGIN " + m.group(1));
        }
        return labels.isEmpty() ? "no PEM block" : String.join(", ", labels);
    }

    private static void zero(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
