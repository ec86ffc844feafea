package dev.vaultx.pool.testkit.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response the simulation wants WireMock to send. Immutable; the {@code with*} methods return copies.
 *
 * @param status the HTTP status
 * @param headers response headers in order
 * @param body the body, or {@code null} for none
 * @param fault a transport fault to apply instead of a clean response
 * @param delayMillis how long to wait before answering
 */
public record SimResponse(int status, Map<String, String> headers, byte[] body, TransportFault fault,
                          long delayMillis) {

    private static final String JSON = "application/json";

    /**
     * A JSON response with Vault's standard headers.
     *
     * @param status the status
     * @param json the JSON text
     * @return the response
     */
    public static SimResponse json(int status, String json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-store");
        h.put("Content-Type", JSON);
        return new SimResponse(status, h, (json + "\n").getBytes(StandardCharsets.UTF_8), TransportFault.NONE, 0);
    }

    /**
     * Vault's error shape {@code {"errors":[...]}}.
     *
     * @param status the status
     * @param messages the error strings (none gives {@code []})
     * @return the response
     */
    public static SimResponse error(int status, String... messages) {
        return json(status, Json.write(Map.of("errors", Arrays.asList(messages))));
    }

    /**
     * A body-less {@code 307 Temporary Redirect}.
     *
     * @param location the {@code Location} header
     * @return the response
     */
    public static SimResponse redirect(URI location) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-store");
        h.put("Location", location.toString());
        return new SimResponse(307, h, null, TransportFault.NONE, 0);
    }

    /**
     * {@code 204 No Content}.
     *
     * @return the response
     */
    public static SimResponse noContent() {
        return new SimResponse(204, Map.of("Cache-Control", "no-store"), null, TransportFault.NONE, 0);
    }

    /**
     * A transport-level fault.
     *
     * @param fault the fault
     * @return the response
     */
    public static SimResponse fault(TransportFault fault) {
        return new SimResponse(200, Map.of(), null, fault, 0);
    }

    /**
     * A copy with one more header.
     *
     * @param name the header name
     * @param value the value
     * @return the copy
     */
    public SimResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new SimResponse(status, Collections.unmodifiableMap(h), body, fault, delayMillis);
    }

    /**
     * A copy without a body (for {@code HEAD}); headers stay.
     *
     * @return the copy
     */
    public SimResponse withoutBody() {
        return new SimResponse(status, headers, null, fault, delayMillis);
    }

    /**
     * A copy with a different body.
     *
     * @param raw the raw body text
     * @return the copy
     */
    public SimResponse withBody(String raw) {
        return new SimResponse(status, headers, raw.getBytes(StandardCharsets.UTF_8), fault, delayMillis);
    }

    /**
     * A copy answered after an extra delay.
     *
     * @param millis the extra delay
     * @return the copy
     */
    public SimResponse delayedBy(long millis) {
        return new SimResponse(status, headers, body, fault, delayMillis + millis);
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the text, {@code ""} when there is no body
     */
    public String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
