package dev.vaultx.pool.testkit.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serves authenticated API requests the way the active node would, from the cluster's shared data:
 * KV v2 under {@code /v1/secret/} ({@code data/} read, write, patch, delete; {@code metadata/} list and
 * destroy) and {@code /v1/auth/token/lookup-self}. Every request needs a token. Stateless; thread-safe.
 */
public final class LogicalBackend {

    private static final String DATA = "secret/data/";
    private static final String METADATA = "secret/metadata";

    /**
     * Serves a request.
     *
     * @param req the request
     * @param cluster the cluster whose data is used
     * @return the response
     */
    public SimResponse serve(SimRequest req, ClusterState cluster) {
        String token = req.token();
        String required = cluster.settings().token();
        if (token == null || (required != null && !required.equals(token))) {
            return SimResponse.error(403, "permission denied");
        }
        String path = req.vaultPath();
        if (path.startsWith(DATA) && path.length() > DATA.length()) {
            return data(req, cluster, path.substring(DATA.length()));
        }
        if (path.equals(METADATA) || path.startsWith(METADATA + "/")) {
            return metadata(req, cluster.kv(), path.substring(METADATA.length()));
        }
        if (path.equals("auth/token/lookup-self") && req.isRead()) {
            return lookupSelf(token);
        }
        return SimResponse.error(404, "no handler for route \"" + path + "\". route entry not found.");
    }

    private static SimResponse data(SimRequest req, ClusterState cluster, String secretPath) {
        KvStore kv = cluster.kv();
        switch (req.method()) {
            case "GET":
            case "HEAD": {
                Optional<KvStore.Secret> secret = kv.read(secretPath);
                if (secret.isEmpty()) {
                    return SimResponse.error(404);
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("data", secret.get().data());
                data.put("metadata", metadata(secret.get()));
                SimResponse ok = SimResponse.json(200, envelope(data));
                return req.method().equals("HEAD") ? ok.withoutBody() : ok;
            }
            case "POST":
            case "PUT":
            case "PATCH": {
                Map<String, Object> data;
                try {
                    data = requestData(req);
                } catch (IOException e) {
                    return SimResponse.error(400, "failed to parse JSON input: " + e.getMessage());
                }
                if (data == null) {
                    return SimResponse.error(400, "no data provided");
                }
                if (req.method().equals("PATCH")) {
                    Optional<KvStore.Secret> current = kv.read(secretPath);
                    if (current.isEmpty()) {
                        return SimResponse.error(404);
                    }
                    Map<String, Object> merged = new LinkedHashMap<>(current.get().data());
                    data.forEach((k, v) -> {
                        if (v == null) {
                            merged.remove(k);
                        } else {
                            merged.put(k, v);
                        }
                    });
                    data = merged;
                }
                KvStore.Secret written = kv.write(secretPath, data);
                SimResponse ok = SimResponse.json(200, envelope(metadata(written)));
                return cluster.settings().vaultIndex() ? ok.withHeader("X-Vault-Index", cluster.nextIndex()) : ok;
            }
            case "DELETE":
                kv.delete(secretPath);
                SimResponse done = SimResponse.noContent();
                return cluster.settings().vaultIndex() ? done.withHeader("X-Vault-Index", cluster.nextIndex()) : done;
            default:
                return SimResponse.error(405, "unsupported operation");
        }
    }

    private static SimResponse metadata(SimRequest req, KvStore kv, String rest) {
        String folder = KvStore.normalize(rest);
        boolean list = req.method().equals("LIST")
                || (req.method().equals("GET") && "true".equals(req.queryParam("list")));
        if (list) {
            List<String> keys = kv.list(folder);
            return keys.isEmpty() ? SimResponse.error(404) : SimResponse.json(200, envelope(Map.of("keys", keys)));
        }
        if (req.method().equals("DELETE") && !folder.isEmpty()) {
            kv.destroy(folder);
            return SimResponse.noContent();
        }
        return SimResponse.error(405, "unsupported operation");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requestData(SimRequest req) throws IOException {
        if (req.body().length == 0) {
            return null;
        }
        Object parsed = Json.parse(req.body());
        if (parsed instanceof Map<?, ?> root && root.get("data") instanceof Map<?, ?> data) {
            return new LinkedHashMap<>((Map<String, Object>) data);
        }
        return null;
    }

    private static Map<String, Object> metadata(KvStore.Secret secret) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created_time", secret.createdTime().toString());
        m.put("custom_metadata", null);
        m.put("deletion_time", "");
        m.put("destroyed", false);
        m.put("version", secret.version());
        return m;
    }

    private static SimResponse lookupSelf(String token) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("accessor", "simulated-accessor");
        data.put("creation_time", Instant.now().getEpochSecond());
        data.put("creation_ttl", 0);
        data.put("display_name", "token");
        data.put("entity_id", "");
        data.put("expire_time", null);
        data.put("explicit_max_ttl", 0);
        data.put("id", token);
        data.put("meta", null);
        data.put("num_uses", 0);
        data.put("orphan", true);
        data.put("path", "auth/token/create");
        data.put("policies", List.of("root"));
        data.put("renewable", false);
        data.put("ttl", 0);
        data.put("type", "service");
        return SimResponse.json(200, envelope(data, "token"));
    }

    /**
     * Vault's standard success envelope around {@code data}.
     *
     * @param data the {@code data} object
     * @return the JSON text
     */
    static String envelope(Object data) {
        return envelope(data, "kv");
    }

    /**
     * Vault's standard success envelope around {@code data}.
     *
     * @param data the {@code data} object
     * @param mountType the {@code mount_type} value
     * @return the JSON text
     */
    static String envelope(Object data, String mountType) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", new UUID(random.nextLong(), random.nextLong()).toString());
        body.put("lease_id", "");
        body.put("renewable", false);
        body.put("lease_duration", 0);
        body.put("data", data);
        body.put("wrap_info", null);
        body.put("warnings", null);
        body.put("auth", null);
        body.put("mount_type", mountType);
        return Json.write(body);
    }
}
