package dev.vaultx.pool.spring;

import dev.vaultx.pool.VaultResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/** A {@link VaultResponse} (already complete in memory) as Spring sees a response. Not thread-safe. */
final class PoolClientHttpResponse implements ClientHttpResponse {

    private final VaultResponse response;
    private HttpHeaders headers;

    PoolClientHttpResponse(VaultResponse response) {
        this.response = response;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatusCode.valueOf(response.status());
    }

    @Override
    public String getStatusText() {
        HttpStatus known = HttpStatus.resolve(response.status());
        return known == null ? "" : known.getReasonPhrase();
    }

    @Override
    public HttpHeaders getHeaders() {
        if (headers == null) {
            HttpHeaders h = new HttpHeaders();
            for (Map.Entry<String, List<String>> e : response.headers().entrySet()) {
                h.addAll(e.getKey(), e.getValue());
            }
            headers = HttpHeaders.readOnlyHttpHeaders(h);
        }
        return headers;
    }

    @Override
    public InputStream getBody() {
        return new ByteArrayInputStream(response.body());
    }

    @Override
    public void close() {
        // the whole body is in memory and the connection is back in the pool already
    }
}
