package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * Decides whether a 307 from a standby is followed: at most once, only to a configured node (so the
 * token is never sent anywhere else, unlike Vault's Go client), never https to http, and only with
 * the same path.
 */
final class Redirects {

    private static final Logger LOG = LoggerFactory.getLogger(Redirects.class);

    private Redirects() {
    }

    /**
     * @return the configured node the 307 points to, or {@code null} to hand the 307 to the caller. Whether
     *         a hop was already followed, and whether the node is usable, is the caller's to check.
     */
    static NodeState target(PoolRuntime rt, NodeState from, VaultResponse response) {
        if (!rt.config.followRedirects()) {
            return null;
        }
        String location = response.header("Location").orElse(null);
        if (location == null) {
            return null;
        }
        URI uri;
        try {
            uri = from.uri.resolve(location);
        } catch (IllegalArgumentException e) {
            LOG.warn("{} - not following a redirect from {}: unreadable Location", rt.name, from.uri);
            return null;
        }
        if ("https".equalsIgnoreCase(from.uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            LOG.warn("{} - not following a redirect from {}: https to {} would downgrade", rt.name, from.uri, uri.getScheme());
            return null;
        }
        NodeState target = rt.nodeAt(uri);
        if (target == null) {
            // the host is not one of ours: the token must not go there
            LOG.warn("{} - not following a redirect from {} to {}://{}:{}: not a configured node", rt.name, from.uri,
                    uri.getScheme(), uri.getHost(), uri.getPort());
            return null;
        }
        return target == from ? null : target;
    }
}
