package dev.vaultx.pool.testkit.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The KV v2 data shared by all nodes of a simulated cluster: one current version per path, with a
 * version counter that survives deletes. Thread-safe (atomic per path).
 */
public final class KvStore {

    /**
     * One stored secret version.
     *
     * @param data the key/value data, unmodifiable; {@code null} when deleted
     * @param version the version number, from 1
     * @param createdTime when this version was written
     */
    public record Secret(Map<String, Object> data, int version, Instant createdTime) {

        /** @return whether the current version is deleted */
        public boolean deleted() {
            return data == null;
        }
    }

    private final ConcurrentHashMap<String, Secret> secrets = new ConcurrentHashMap<>();

    /**
     * Normalises a secret path: no leading or trailing slashes.
     *
     * @param path the path
     * @return the normalised path
     */
    public static String normalize(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * Writes a new version.
     *
     * @param path the secret path
     * @param data the data (shallow-copied)
     * @return the new version
     */
    public Secret write(String path, Map<String, Object> data) {
        Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        return secrets.compute(normalize(path),
                (k, old) -> new Secret(copy, old == null ? 1 : old.version() + 1, Instant.now()));
    }

    /**
     * Reads the current version.
     *
     * @param path the secret path
     * @return the current version, or empty when absent or deleted
     */
    public Optional<Secret> read(String path) {
        Secret s = secrets.get(normalize(path));
        return s == null || s.deleted() ? Optional.empty() : Optional.of(s);
    }

    /**
     * Deletes the current version (the version counter is kept).
     *
     * @param path the secret path
     */
    public void delete(String path) {
        secrets.computeIfPresent(normalize(path), (k, old) -> new Secret(null, old.version(), old.createdTime()));
    }

    /**
     * Removes a path with all its history.
     *
     * @param path the secret path
     */
    public void destroy(String path) {
        secrets.remove(normalize(path));
    }

    /**
     * Lists the direct children of a folder, as Vault's LIST does: leaves by name, folders with a
     * trailing {@code /}.
     *
     * @param folder the folder path ({@code ""} for the root)
     * @return the sorted keys, empty when there are none
     */
    public List<String> list(String folder) {
        String prefix = normalize(folder);
        prefix = prefix.isEmpty() ? "" : prefix + "/";
        TreeSet<String> keys = new TreeSet<>();
        for (Map.Entry<String, Secret> e : secrets.entrySet()) {
            String key = e.getKey();
            if (e.getValue().deleted() || !key.startsWith(prefix)) {
                continue;
            }
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
        return List.copyOf(keys);
    }

    /** Removes everything. */
    public void clear() {
        secrets.clear();
    }
}
