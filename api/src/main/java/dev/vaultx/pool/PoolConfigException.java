package dev.vaultx.pool;

/**
 * A configuration value is invalid. The message reads {@code name: value (expected: ...)}; a secret
 * value is shown as {@code <redacted>}.
 */
public class PoolConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the configuration key, e.g. {@code size}
     * @param value the rejected value as text (already redacted if secret)
     * @param expected what would have been accepted
     */
    public PoolConfigException(String key, Object value, String expected) {
        super(key + ": " + value + " (expected: " + expected + ")");
        this.key = key;
    }

    /** @return the configuration key whose value was rejected */
    public String key() {
        return key;
    }
}
