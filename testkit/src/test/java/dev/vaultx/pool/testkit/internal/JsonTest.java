package dev.vaultx.pool.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesAndParsesTrees() throws IOException {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("s", "x\"y");
        tree.put("n", 42);
        tree.put("d", 1.5);
        tree.put("b", true);
        tree.put("z", null);
        tree.put("l", Arrays.asList("a", null, 3L));
        tree.put("m", Map.of("k", "v"));

        String json = Json.write(tree);
        Object back = Json.parse(json.getBytes(StandardCharsets.UTF_8));

        assertThat(json).isEqualTo("{\"s\":\"x\\\"y\",\"n\":42,\"d\":1.5,\"b\":true,\"z\":null,"
                + "\"l\":[\"a\",null,3],\"m\":{\"k\":\"v\"}}");
        assertThat(back).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) back;
        assertThat(map).containsEntry("n", 42L).containsEntry("l", Arrays.asList("a", null, 3L));
    }

    @Test
    void rejectsInvalidJson() {
        assertThatThrownBy(() -> Json.parse("{\"a\":".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.parse("{} {}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.parse(new byte[0])).isInstanceOf(IOException.class);
    }

    @Test
    void parsesArrays() throws IOException {
        assertThat(Json.parse("[1,\"a\"]".getBytes(StandardCharsets.UTF_8))).isEqualTo(List.of(1L, "a"));
    }
}
