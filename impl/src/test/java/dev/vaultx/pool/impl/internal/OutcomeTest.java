package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each class of Vault answer (VAULT-FACTS §4.3) and what it means for the pool. */
class OutcomeTest {

    private static VaultResponse response(int status, String body) {
        return new VaultResponse(status, Map.of(), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
                URI.create("http://127.0.0.1:8200"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            200 | {"data":{"k":"v"}}                                                          | DONE                 | false
            204 | -                                                                           | DONE                 | false
            200 | {"warnings":["Vault is sealed"]}                                            | DONE                 | false
            301 | -                                                                           | DONE                 | false
            302 | -                                                                           | DONE                 | false
            307 | -                                                                           | REDIRECT             | false
            400 | {"errors":["missing client token"]}                                         | DONE                 | false
            403 | {"errors":["permission denied"]}                                            | DONE                 | false
            404 | {"errors":[]}                                                               | DONE                 | false
            405 | {"errors":["unsupported operation"]}                                        | DONE                 | false
            412 | {"errors":["required index state not present"]}                             | INDEX_NOT_REPLICATED | false
            413 | {"errors":["http: request body too large"]}                                 | DONE                 | false
            423 | {"errors":["API access to this namespace has been locked by an administrator"]} | DONE         | false
            429 | {"errors":["request path \\"secret/data/app\\": rate limit quota exceeded"]}  | RATE_LIMITED         | false
            429 | -                                                                           | RATE_LIMITED         | false
            500 | {"errors":["internal error"]}                                               | NODE_FAILURE         | true
            500 | {"errors":["local node not active but active cluster node not found"]}     | NO_ACTIVE_NODE       | false
            500 | -                                                                           | NODE_FAILURE         | true
            501 | {"errors":["Vault is not initialized"]}                                     | SERVER_ANSWER        | false
            502 | {"errors":["upstream rate limited"]}                                        | SERVER_ANSWER        | false
            503 | {"errors":["Vault is sealed"]}                                              | SEALED               | true
            503 | {"errors":["error performing token check: Vault is sealed"]}                | SEALED               | true
            503 | {"errors":["no active Vault instance found"]}                               | NO_ACTIVE_NODE       | false
            503 | {"errors":["overloaded, try again later"]}                                  | NODE_FAILURE         | true
            503 | {"errors":["node is not active"]}                                           | NODE_FAILURE         | true
            503 | <html><body>Service Unavailable</body></html>                               | NODE_FAILURE         | true
            504 | <html>Gateway Timeout</html>                                                | NODE_FAILURE         | true
            530 | -                                                                           | NODE_FAILURE         | true
            599 | -                                                                           | NODE_FAILURE         | true
            """)
    void classifiesEachStatusAndBody(int status, String body, Outcome expected, boolean againstNode) {
        Outcome outcome = Outcome.of(response(status, body));

        assertThat(outcome).isEqualTo(expected);
        assertThat(outcome.countsAgainstNode()).isEqualTo(againstNode);
    }
}
