package dev.vaultx.pool.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimRequestTest {

    @Test
    void parsesPathQueryHeadersAndToken() {
        SimRequest req = SimRequest.of("get", "/v1/secret/data/a/b/?standbyok&x=1&x=2&e=%2F",
                Map.of("x-vault-token", List.of("tok")), null);

        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.path()).isEqualTo("/v1/secret/data/a/b/");
        assertThat(req.vaultPath()).isEqualTo("secret/data/a/b");
        assertThat(req.queryParam("standbyok")).isEmpty();
        assertThat(req.query().get("x")).containsExactly("1", "2");
        assertThat(req.queryParam("e")).isEqualTo("/");
        assertThat(req.queryParam("missing")).isNull();
        assertThat(req.token()).isEqualTo("tok");
        assertThat(req.header("X-VAULT-TOKEN")).isEqualTo("tok");
        assertThat(req.pathAndQuery()).isEqualTo("/v1/secret/data/a/b/?standbyok&x=1&x=2&e=%2F");
        assertThat(req.isRead()).isTrue();
    }
}
