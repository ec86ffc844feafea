package dev.vaultx.pool.testkit.internal;

import java.net.URI;

/**
 * The entry point for every request a node receives: applies the injected faults in order, then
 * hands the request to the health endpoint, the local {@code sys/} endpoints or the role router.
 *
 * <p>Order: connection faults that kill a node (blackhole, reset, random data) apply to every path,
 * {@code sys/health} included; then {@code sys/health} is answered; then API-only faults (malformed
 * chunk, rate limit, injected failure, redirect); then normal handling. A slow delay (the node's, and a path's)
 * is added to whatever is answered, after it is made. Stateless; thread-safe.
 */
public final class NodeDispatcher {

    /** The path of the health endpoint. */
    public static final String HEALTH = "/v1/sys/health";

    private final HealthResponder health = new HealthResponder();
    private final LocalSysResponder localSys = new LocalSysResponder();
    private final StandbyRouter router = new StandbyRouter();

    /**
     * Answers a request.
     *
     * @param req the request
     * @param node the node that received it
     * @return the response (possibly a fault)
     */
    public SimResponse dispatch(SimRequest req, NodeState node) {
        FaultPlan faults = node.faults();
        return answer(req, node, faults).delayedBy(faults.slowMillis(req.path()));
    }

    private SimResponse answer(SimRequest req, NodeState node, FaultPlan faults) {
        TransportFault transport = faults.transport();
        if (transport == TransportFault.BLACKHOLE || transport == TransportFault.CONNECTION_RESET
                || transport == TransportFault.RANDOM_DATA) {
            return SimResponse.fault(transport);
        }
        if (req.path().equals(HEALTH)) {
            return health.respond(req, node);
        }
        if (transport == TransportFault.MALFORMED_CHUNK) {
            return SimResponse.fault(transport);
        }
        FaultPlan.Injected limited = faults.nextRateLimit();
        if (limited != null) {
            SimResponse r = SimResponse.error(429, "request path \"" + req.vaultPath() + "\": rate limit quota exceeded");
            return limited.text() == null ? r : r.withHeader("Retry-After", limited.text());
        }
        FaultPlan.Injected failure = faults.nextFailure();
        if (failure != null) {
            return failure.text() == null ? SimResponse.error(failure.status())
                    : SimResponse.error(failure.status(), failure.text());
        }
        URI redirect = faults.redirect();
        if (redirect != null) {
            String base = redirect.toString();
            if (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return SimResponse.redirect(URI.create(base + req.pathAndQuery()));
        }
        if (localSys.handles(req.path())) {
            return localSys.respond(req, node);
        }
        if (!req.path().startsWith("/v1/")) {
            return SimResponse.error(404);
        }
        return router.route(req, node);
    }
}
