package dev.vaultx.pool.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KvStoreTest {

    @Test
    void concurrentWritesGetDistinctVersions() {
        KvStore kv = new KvStore();

        CompletableFuture<?>[] writes = IntStream.range(0, 200)
                .mapToObj(i -> CompletableFuture.runAsync(() -> kv.write("/p/", Map.of("i", i))))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(writes).join();

        assertThat(kv.read("p")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(200));
    }

    @Test
    void deleteKeepsTheVersionCounterAndDestroyForgetsIt() {
        KvStore kv = new KvStore();
        kv.write("a", Map.of());
        kv.delete("a");

        assertThat(kv.read("a")).isEmpty();
        assertThat(kv.write("a", Map.of()).version()).isEqualTo(2);
        kv.destroy("a");
        assertThat(kv.write("a", Map.of()).version()).isEqualTo(1);
    }

    @Test
    void listsDirectChildren() {
        KvStore kv = new KvStore();
        kv.write("x/a", Map.of());
        kv.write("x/b/c", Map.of());
        kv.write("y", Map.of());

        assertThat(kv.list("x")).containsExactly("a", "b/");
        assertThat(kv.list("")).containsExactly("x/", "y");
        assertThat(kv.list("none")).isEmpty();
    }
}
