package dev.vaultx.pool;

import dev.vaultx.pool.internal.Pem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Validation of the TLS keys at {@link PoolConfigBuilder#build()}: files exist and are readable, PEM
 * parses, keystores open with their password, a client key belongs to its certificate. JDK only; PEM is read
 * by {@link Pem}, the same reader the transport uses. Every failure is a {@link PoolConfigException} naming
 * the key; messages show paths, never a password or key material (a password shows as {@code <redacted>},
 * PEM text by its length). The pool's own loading is in the impl module; this class only judges. Stateless.
 */
final class TlsChecks {

    static final String REDACTED = Pem.REDACTED;

    private TlsChecks() {
    }

    /** @return how a PEM text is shown in messages: its size, not its content */
    static String shownPem(String pem) {
        return Pem.shown(pem);
    }

    /** @return the file, if it is a readable regular file */
    static Path readable(String key, Path file) {
        if (file != null && (!Files.isRegularFile(file) || !Files.isReadable(file))) {
            throw new PoolConfigException(key, file, "a readable file");
        }
        return file;
    }

    /** Checks the TLS keys against each other and loads every file once. */
    static void validate(PoolConfigBuilder b) {
        int trustSources = (b.tlsCaFile != null ? 1 : 0) + (b.tlsCaPem != null ? 1 : 0) + (b.tlsCaPath != null ? 1 : 0)
                + (b.tlsTrustStore != null ? 1 : 0);
        if (trustSources > 1) {
            String key = b.tlsTrustStore != null ? "tlsTrustStore" : b.tlsCaPath != null ? "tlsCaPath" : "tlsCaPem";
            Object shown = b.tlsTrustStore != null ? b.tlsTrustStore : b.tlsCaPath != null ? b.tlsCaPath : shownPem(b.tlsCaPem);
            throw new PoolConfigException(key, shown, "one trust source: tlsCaFile, tlsCaPem, tlsCaPath or tlsTrustStore, not several");
        }
        if (b.tlsClientKeyPassword != null && b.tlsClientKeyFile == null) {
            throw new PoolConfigException("tlsClientKeyPassword", REDACTED, "set only with tlsClientKeyFile");
        }
        if (b.tlsTrustStorePassword != null && b.tlsTrustStore == null) {
            throw new PoolConfigException("tlsTrustStorePassword", REDACTED, "set only with tlsTrustStore");
        }
        if ((b.tlsClientCertFile == null) != (b.tlsClientKeyFile == null)) {
            String missing = b.tlsClientCertFile == null ? "tlsClientCertFile" : "tlsClientKeyFile";
            throw new PoolConfigException(missing, null, "tlsClientCertFile and tlsClientKeyFile set together");
        }
        if (b.tlsKeyStore != null && b.tlsClientCertFile != null) {
            throw new PoolConfigException("tlsKeyStore", b.tlsKeyStore,
                    "one client identity: tlsKeyStore or tlsClientCertFile + tlsClientKeyFile, not both");
        }
        if (b.tlsKeyStorePassword != null && b.tlsKeyStore == null) {
            throw new PoolConfigException("tlsKeyStorePassword", REDACTED, "set only with tlsKeyStore");
        }
        if (b.httpVersion == HttpVersion.HTTP_2 && "http".equals(b.nodes.get(0).getScheme())) {
            throw new PoolConfigException("httpVersion", b.httpVersion,
                    "HTTP_1_1 with http nodes: HTTP/2 is negotiated over TLS (ALPN), cleartext h2c is not supported");
        }
        if (b.tlsCaFile != null) {
            Pem.certificates("tlsCaFile", b.tlsCaFile);
        }
        if (b.tlsCaPath != null) {
            Pem.certificatesInDirectory("tlsCaPath", b.tlsCaPath);
        }
        if (b.tlsCaPem != null) {
            Pem.certificates("tlsCaPem", shownPem(b.tlsCaPem), b.tlsCaPem);
        }
        if (b.tlsTrustStore != null) {
            KeyStore ks = keyStore("tlsTrustStore", b.tlsTrustStore, "tlsTrustStorePassword", b.tlsTrustStorePassword);
            if (count(ks, false) == 0) {
                throw new PoolConfigException("tlsTrustStore", b.tlsTrustStore,
                        "a keystore holding trusted certificates (with tlsTrustStorePassword if it has one)");
            }
        }
        if (b.tlsClientCertFile != null) {
            List<X509Certificate> chain = Pem.certificates("tlsClientCertFile", b.tlsClientCertFile);
            char[] password = b.tlsClientKeyPassword == null ? null : b.tlsClientKeyPassword.toCharArray();
            PrivateKey key;
            try {
                key = Pem.privateKey("tlsClientKeyFile", b.tlsClientKeyFile, "tlsClientKeyPassword", password);
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
            if (!matches(key, chain.get(0).getPublicKey())) {
                throw new PoolConfigException("tlsClientKeyFile", b.tlsClientKeyFile,
                        "the private key of the first certificate in tlsClientCertFile");
            }
        }
        if (b.tlsKeyStore != null) {
            KeyStore ks = keyStore("tlsKeyStore", b.tlsKeyStore, "tlsKeyStorePassword", b.tlsKeyStorePassword);
            if (count(ks, true) == 0) {
                throw new PoolConfigException("tlsKeyStore", b.tlsKeyStore, "a keystore holding a private key and its certificate");
            }
            char[] password = b.tlsKeyStorePassword == null ? new char[0] : b.tlsKeyStorePassword.toCharArray();
            try {
                for (String alias : Collections.list(ks.aliases())) {
                    if (ks.isKeyEntry(alias)) {
                        ks.getKey(alias, password);
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new PoolConfigException("tlsKeyStorePassword", REDACTED,
                        "the password of tlsKeyStore " + b.tlsKeyStore + ", which is also the password of its keys");
            } finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** @return whether the private key signs what the public key verifies */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return key.getAlgorithm().equals(publicKey.getAlgorithm());
        }
        try {
            byte[] data = "vaultx-pool client key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Opens a PKCS#12 or JKS keystore (the JDK finds out which). */
    private static KeyStore keyStore(String key, Path file, String passwordKey, String password) {
        readable(key, file);
        char[] pw = password == null ? null : password.toCharArray();
        try {
            return KeyStore.getInstance(file.toFile(), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new PoolConfigException(passwordKey, password == null ? null : REDACTED, "the password of " + key + " " + file);
            }
            throw new PoolConfigException(key, file, "a PKCS#12 or JKS keystore");
        } catch (GeneralSecurityException e) {
            throw new PoolConfigException(key, file, "a PKCS#12 or JKS keystore");
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }
    }

    /** @return the number of key entries ({@code keys}) or of entries with a certificate in a keystore */
    private static int count(KeyStore ks, boolean keys) {
        int n = 0;
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!keys || ks.isKeyEntry(alias)) {
                    Certificate c = ks.getCertificate(alias);
                    n += c instanceof X509Certificate ? 1 : 0;
                }
            }
        } catch (KeyStoreException e) {
            return 0;
        }
        return n;
    }
}
