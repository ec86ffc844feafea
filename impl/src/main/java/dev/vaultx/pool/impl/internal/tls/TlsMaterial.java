package dev.vaultx.pool.impl.internal.tls;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.internal.Pem;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a pool's TLS keys into JDK key and trust managers, reading PEM with the api's {@link Pem} (the reader
 * that validated the configuration). A CA bundle, CA directory or truststore <em>replaces</em> the JVM's
 * trusted CAs (as {@code VAULT_CACERT} and {@code VAULT_CAPATH} do for Vault's Go client); with none, the JVM's
 * default trust store applies ({@code cacerts}, or {@code javax.net.ssl.trustStore}). With {@code tlsServerName}
 * the trust managers are wrapped by {@link ServerNameTrustManager}. Stateless.
 */
final class TlsMaterial {

    private TlsMaterial() {
    }

    /**
     * @return the trust managers of the configured CAs, or {@code null} for the JVM's default ones; with
     *         {@code tlsServerName} (and host names verified), always set and checking certificates against that name
     */
    static TrustManager[] trustManagers(PoolConfig config) {
        KeyStore trusted;
        if (config.tlsCaFile().isPresent()) {
            trusted = trustStoreOf(Pem.certificates("tlsCaFile", config.tlsCaFile().get()));
        } else if (config.tlsCaPem().isPresent()) {
            String pem = config.tlsCaPem().get();
            trusted = trustStoreOf(Pem.certificates("tlsCaPem", Pem.shown(pem), pem));
        } else if (config.tlsCaPath().isPresent()) {
            trusted = trustStoreOf(Pem.certificatesInDirectory("tlsCaPath", config.tlsCaPath().get()));
        } else if (config.tlsTrustStore().isPresent()) {
            trusted = open("tlsTrustStore", config.tlsTrustStore().get(), "tlsTrustStorePassword",
                    config.tlsTrustStorePassword().orElse(null));
        } else if (config.tlsServerName().isEmpty() || config.insecureSkipHostnameVerification()) {
            return null;
        } else {
            trusted = null; // the JVM's default CAs, wrapped below
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            TrustManager[] managers = tmf.getTrustManagers();
            if (config.tlsServerName().isPresent() && !config.insecureSkipHostnameVerification()) {
                return ServerNameTrustManager.wrap(managers, config.tlsServerName().get());
            }
            return managers;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + TrustManagerFactory.getDefaultAlgorithm() + " trust manager failed", e);
        }
    }

    /** @return the key managers of the client identity, or {@code null} when the pool presents no certificate */
    static KeyManager[] keyManagers(PoolConfig config) {
        KeyStore identity;
        char[] password;
        if (config.tlsClientCertFile().isPresent() && config.tlsClientKeyFile().isPresent()) {
            Path certFile = config.tlsClientCertFile().get();
            List<X509Certificate> chain = Pem.certificates("tlsClientCertFile", certFile);
            char[] keyPassword = config.tlsClientKeyPassword().map(String::toCharArray).orElse(null);
            PrivateKey key;
            try {
                key = Pem.privateKey("tlsClientKeyFile", config.tlsClientKeyFile().get(), "tlsClientKeyPassword", keyPassword);
            } finally {
                if (keyPassword != null) {
                    Arrays.fill(keyPassword, '\0');
                }
            }
            // an in-memory keystore only; its password protects nothing outside this method
            password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
            try {
                identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                identity.setKeyEntry("client", key, password, chain.toArray(new X509Certificate[0]));
            } catch (GeneralSecurityException | IOException e) {
                throw new PoolConfigException("tlsClientKeyFile", config.tlsClientKeyFile().get(),
                        "the private key of the first certificate in tlsClientCertFile");
            }
        } else if (config.tlsKeyStore().isPresent()) {
            String pw = config.tlsKeyStorePassword().orElse("");
            identity = open("tlsKeyStore", config.tlsKeyStore().get(), "tlsKeyStorePassword", pw);
            password = pw.toCharArray();
        } else {
            return null;
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, password);
            return kmf.getKeyManagers();
        } catch (UnrecoverableKeyException e) {
            throw new PoolConfigException("tlsKeyStorePassword", "<redacted>", "the password of tlsKeyStore and of its key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + KeyManagerFactory.getDefaultAlgorithm() + " key manager failed", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static KeyStore trustStoreOf(List<X509Certificate> certificates) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                ks.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make an in-memory truststore", e);
        }
    }

    /** Opens a PKCS#12 or JKS keystore; the JDK finds out which. */
    private static KeyStore open(String key, Path file, String passwordKey, String password) {
        char[] pw = password == null ? null : password.toCharArray();
        try {
            return KeyStore.getInstance(file.toFile(), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new PoolConfigException(passwordKey, password == null ? null : "<redacted>", "the password of " + key + " " + file);
            }
            throw new PoolConfigException(key, file, "a readable PKCS#12 or JKS keystore");
        } catch (GeneralSecurityException e) {
            throw new PoolConfigException(key, file, "a readable PKCS#12 or JKS keystore");
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }
    }
}
