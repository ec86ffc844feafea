package dev.vaultx.pool.testkit;

/** The error messages Vault typically sends with a status code. Stateless; thread-safe. */
final class VaultErrors {

    private VaultErrors() {
    }

    /**
     * A typical Vault error message for a status.
     *
     * @param status the HTTP status
     * @return the message, or {@code null} where Vault sends an empty {@code errors} array
     */
    static String defaultMessage(int status) {
        switch (status) {
            case 400:
                return "invalid request";
            case 403:
                return "permission denied";
            case 404:
                return null;
            case 405:
                return "unsupported operation";
            case 412:
                return "required index state not present";
            case 423:
                return "API access to this namespace has been locked by an administrator";
            case 429:
                return "rate limit quota exceeded";
            case 500:
                return "internal error";
            case 502:
                return "upstream rate limited";
            case 503:
                return "overloaded, try again later";
            default:
                return "simulated error (HTTP " + status + ")";
        }
    }
}
