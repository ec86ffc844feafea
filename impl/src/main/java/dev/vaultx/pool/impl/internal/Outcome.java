package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultResponse;

import java.nio.charset.StandardCharsets;

/**
 * What a response means for the pool (VAULT-FACTS §4.3): whether it counts against the node's
 * breaker, and whether the request is retried, redirected or complete.
 */
enum Outcome {
    /** 2xx, and 4xx other than 412/429: the node works; the caller gets the answer. */
    DONE(false),
    /** 307 from a standby: follow once to a configured node. */
    REDIRECT(false),
    /** 412: the {@code X-Vault-Index} state is not replicated yet; retry with backoff. */
    INDEX_NOT_REPLICATED(false),
    /** 429 on an API path: a rate-limit quota, never a node failure; honour {@code Retry-After}. */
    RATE_LIMITED(false),
    /** 503 "Vault is sealed": the node is sealed; open its breaker, go elsewhere. */
    SEALED(true),
    /** 503 "no active Vault instance found" / 500 "active cluster node not found": a leader election. */
    NO_ACTIVE_NODE(false),
    /** 500, 503, 504 and other 5xx but 501 and 502: counts against the node; fail over. */
    NODE_FAILURE(true),
    /** 501 and 502: the node is fine (not implemented; an upstream behind Vault failed). */
    SERVER_ANSWER(false);

    private final boolean againstNode;

    Outcome(boolean againstNode) {
        this.againstNode = againstNode;
    }

    boolean countsAgainstNode() {
        return againstNode;
    }

    static Outcome of(VaultResponse response) {
        int s = response.status();
        if (s < 300) {
            return DONE;
        }
        if (s == 307) {
            return REDIRECT;
        }
        if (s == 412) {
            return INDEX_NOT_REPLICATED;
        }
        if (s == 429) {
            return RATE_LIMITED;
        }
        if (s < 500) {
            return DONE;
        }
        if (s == 501 || s == 502) {
            return SERVER_ANSWER;
        }
        if (s == 503 || s == 500) {
            String body = bodyPrefix(response);
            if (body.contains("no active Vault instance found") || body.contains("active cluster node not found")) {
                return NO_ACTIVE_NODE;
            }
            if (s == 503 && body.contains("Vault is sealed")) {
                return SEALED;
            }
        }
        return NODE_FAILURE;
    }

    private static String bodyPrefix(VaultResponse response) {
        byte[] b = response.body();
        return new String(b, 0, Math.min(b.length, 512), StandardCharsets.UTF_8);
    }
}
