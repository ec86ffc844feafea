package dev.vaultx.pool;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * CDI qualifier of a named {@link ConnectionPool}. Each name is its own application-scoped bean,
 * configured by the {@code vaultx.pool.<name>.*} properties:
 *
 * <pre>{@code
 * @Inject ConnectionPool pool;                          // the pool named "default" (vaultx.pool.*)
 * @Inject @VaultPool("payments") ConnectionPool pay;    // vaultx.pool.payments.*
 * }</pre>
 *
 * <p>{@link #value()} is a binding member: {@code @VaultPool("a")} and {@code @VaultPool("b")} resolve
 * to different beans, and {@code @VaultPool("default")} is the same bean as the unqualified one. The
 * vaultx-pool CDI extension (in {@code vaultx-pool-impl}) defines one bean per name used at an
 * injection point or configured with {@code vaultx.pool.<name>.nodes}. For a programmatic lookup use
 * {@link Literal}: {@code pools.select(VaultPool.Literal.of("payments")).get()}.
 *
 * <p>Only this annotation and its literal touch the CDI API; the rest of the api needs none of it.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({TYPE, METHOD, FIELD, PARAMETER})
public @interface VaultPool {

    /** @return the pool's name ({@code [A-Za-z0-9._-]}, at most 64), as in {@code vaultx.pool.<name>.nodes} */
    String value();

    /** An instance of the qualifier, for {@code Instance.select(...)} and synthetic beans. */
    final class Literal extends AnnotationLiteral<VaultPool> implements VaultPool {

        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value, "value");
        }

        /**
         * @param name the pool's name
         * @return {@code @VaultPool(name)}
         */
        public static Literal of(String name) {
            return new Literal(name);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
