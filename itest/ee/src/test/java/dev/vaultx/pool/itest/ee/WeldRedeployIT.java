package dev.vaultx.pool.itest.ee;

/** {@link RedeployScenario} in Weld embedded: the container is this JVM. */
class WeldRedeployIT extends RedeployScenario {

    @Override
    ServerState state(String pool) {
        return ServerState.of(pool);
    }
}
