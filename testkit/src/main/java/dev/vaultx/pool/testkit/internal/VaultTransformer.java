package dev.vaultx.pool.testkit.internal;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.vaultx.pool.testkit.RecordedRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WireMock extension of one node: turns every request into a {@link SimRequest}, records it in
 * the node's journal, asks the {@link NodeDispatcher} and turns the {@link SimResponse} back into a
 * WireMock response definition (status, headers, body, fixed delay, fault). One instance per node;
 * thread-safe.
 */
public final class VaultTransformer implements ResponseDefinitionTransformerV2 {

    /** How long a blackholed request waits: long enough that no sane client waits it out. */
    static final int BLACKHOLE_MILLIS = 60 * 60 * 1000;

    private final NodeState node;
    private final NodeDispatcher dispatcher = new NodeDispatcher();

    /**
     * Creates the extension for a node.
     *
     * @param node the node
     */
    public VaultTransformer(NodeState node) {
        this.node = node;
    }

    @Override
    public String getName() {
        return "vaultx-simulated-vault-node-" + node.index();
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader h : request.getHeaders().all()) {
            headers.put(h.key(), h.values());
        }
        byte[] body = request.getBody();
        String method = request.getMethod().getName();
        String url = request.getUrl();
        String protocol = request.getProtocol() == null ? "HTTP/1.1" : request.getProtocol();
        node.journal().record(() -> new RecordedRequest(method, url, headers, body, Instant.now(), protocol));
        SimResponse response;
        try {
            response = dispatcher.dispatch(SimRequest.of(method, url, headers, body), node);
        } catch (RuntimeException e) {
            response = SimResponse.error(500, "simulated Vault failed: " + e);
        }
        return toDefinition(response);
    }

    private static ResponseDefinition toDefinition(SimResponse response) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition().withStatus(response.status());
        response.headers().forEach((name, value) -> b.withHeader(name, value));
        if (response.body() != null) {
            b.withBody(response.body());
        }
        long delay = response.delayMillis();
        switch (response.fault()) {
            case BLACKHOLE:
                delay += BLACKHOLE_MILLIS;
                b.withStatus(504);
                break;
            case CONNECTION_RESET:
                b.withFault(Fault.CONNECTION_RESET_BY_PEER);
                break;
            case RANDOM_DATA:
                b.withFault(Fault.RANDOM_DATA_THEN_CLOSE);
                break;
            case MALFORMED_CHUNK:
                b.withFault(Fault.MALFORMED_RESPONSE_CHUNK);
                break;
            default:
                break;
        }
        if (delay > 0) {
            b.withFixedDelay((int) Math.min(delay, Integer.MAX_VALUE));
        }
        return b.build();
    }
}
