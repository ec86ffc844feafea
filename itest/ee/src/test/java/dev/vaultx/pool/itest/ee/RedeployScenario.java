package dev.vaultx.pool.itest.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys, undeploys and deploys again a WAR with a pool, and deploys one with an invalid value,
 * driven from the client ({@link Deployer}); {@link #state(String)} looks at the server's JVM.
 * Runs as {@link WeldRedeployIT} and {@link ServerRedeployIT}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class RedeployScenario {

    static final String POOL = "redeployed";
    static final String BROKEN_POOL = "broken";

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "app", managed = false)
    static WebArchive app() {
        return Deployments.war("redeploy.war", Deployments.pool(POOL, "size", "1"), RedeployUser.class);
    }

    @Deployment(name = "broken", managed = false)
    static WebArchive broken() {
        return Deployments.war("broken.war", Deployments.pool(BROKEN_POOL, "size", "abc"), BrokenUser.class);
    }

    /** @return the pool's MBeans and threads in the container's JVM */
    abstract ServerState state(String pool) throws Exception;

    @Test
    void undeployUnregistersTheMBeansAndEndsThePoolThreadsAndARedeployDoesNotCollide() throws Exception {
        assertThat(state(POOL)).isEqualTo(new ServerState(0, 0));

        for (int round = 1; round <= 2; round++) {
            deployer.deploy("app");
            ServerState deployed = await(POOL, s -> s.mbeans() == 4 && s.poolThreads() >= 1);
            assertThat(deployed.mbeans()).as("round %d after deploy: the pool bean and 3 node beans", round).isEqualTo(4);
            // the timer thread, and up to two worker threads while events of the start (role changes) are handed on
            assertThat(deployed.poolThreads()).as("round %d after deploy: the pool's threads", round).isBetween(1, 3);

            deployer.undeploy("app");
            assertThat(await(POOL, s -> s.mbeans() == 0 && s.poolThreads() == 0))
                    .as("round %d after undeploy", round)
                    .isEqualTo(new ServerState(0, 0));
        }
    }

    @Test
    void anInvalidValueFailsTheDeploymentNamingTheKeyAndTheValue() throws Exception {
        Throwable failure = catchThrowable(() -> deployer.deploy("broken"));
        try {
            assertThat(failure).as("deploying broken.war").isNotNull();
            assertThat(messages(failure)).as("the deployment failure").contains("vaultx.pool.broken.size: abc");
            assertThat(state(BROKEN_POOL)).isEqualTo(new ServerState(0, 0));
        } finally {
            catchThrowable(() -> deployer.undeploy("broken"));
        }
    }

    private ServerState await(String pool, Predicate<ServerState> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ServerState s = state(pool);
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = state(pool);
        }
        return s;
    }

    /** @return the messages of the failure and its causes, one per line */
    static String messages(Throwable t) {
        List<String> lines = new ArrayList<>();
        for (Throwable c = t; c != null && lines.size() < 20; c = c.getCause()) {
            lines.add(c.getClass().getName() + ": " + c.getMessage());
        }
        return String.join("\n", lines);
    }
}
