package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.testing.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which 307s a request follows, decided by {@link OutcomePolicy} alone on a pool runtime whose nodes (127.0.0.1 ports
 * nothing listens on) are never connected to: roles are set as the health monitor would set them.
 */
class OutcomePolicyRedirectTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final VaultRequest READ = VaultRequest.get("/v1/secret/data/app").build();

    private PoolRuntime rt;

    @BeforeEach
    void start() {
        PoolConfig config = PoolConfig.builder().name("redirects")
                .nodes("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3").build();
        rt = new PoolRuntime(config, new FakeTicker());
        role(0, NodeRole.ACTIVE);
        role(1, NodeRole.STANDBY);
        role(2, NodeRole.STANDBY);
    }

    @AfterEach
    void stop() {
        rt.markClosed();
        rt.transport.close();
        rt.shutdownScheduler();
    }

    /**
     * The flake CI saw as a 307 handed to a caller during an election: a standby pointed the read at the old leader,
     * which had stopped; after the election the other standby pointed it at the first standby, now the leader. Before,
     * that node counted as having redirected the read already, and the 307 was taken for a loop.
     */
    @Test
    void aNodeThatRedirectedBeforeAnElectionIsFollowedToOnceItLeads() {
        OutcomePolicy policy = new OutcomePolicy(rt, READ);
        assertThat(policy.afterResponse(node(1), redirect(1, 0), Outcome.REDIRECT, SECOND)).isZero();
        assertThat(policy.nextNode()).isSameAs(node(0));
        assertThat(policy.afterTransportFailure(node(0), FailureKind.CONNECT_REFUSED, true, SECOND))
                .isNotEqualTo(OutcomePolicy.STOP);

        role(0, NodeRole.UNREACHABLE);
        role(1, NodeRole.ACTIVE);

        assertThat(policy.afterResponse(node(2), redirect(2, 1), Outcome.REDIRECT, SECOND)).isZero();
        assertThat(policy.nextNode()).isSameAs(node(1));
    }

    @Test
    void consecutiveRedirectsBackToANodeOfTheChainGoToTheCaller() {
        OutcomePolicy policy = new OutcomePolicy(rt, READ);
        assertThat(policy.afterResponse(node(0), redirect(0, 1), Outcome.REDIRECT, SECOND)).isZero();
        assertThat(policy.nextNode()).isSameAs(node(1));

        assertThat(policy.afterResponse(node(1), redirect(1, 0), Outcome.REDIRECT, SECOND)).isEqualTo(OutcomePolicy.STOP);
    }

    @Test
    void aSecondRedirectToANodeOutsideTheChainIsFollowed() {
        OutcomePolicy policy = new OutcomePolicy(rt, READ);
        assertThat(policy.afterResponse(node(1), redirect(1, 2), Outcome.REDIRECT, SECOND)).isZero();
        assertThat(policy.afterResponse(node(2), redirect(2, 0), Outcome.REDIRECT, SECOND)).isZero();
        assertThat(policy.nextNode()).isSameAs(node(0));
    }

    private NodeState node(int i) {
        return rt.nodes.get(i);
    }

    private void role(int i, NodeRole role) {
        assertThat(node(i).compareAndSetRole(node(i).role(), role)).isTrue();
    }

    private VaultResponse redirect(int from, int to) {
        return new VaultResponse(307, Map.of("Location", List.of(node(to).uri + "/v1/secret/data/app")), new byte[0],
                node(from).uri);
    }
}
