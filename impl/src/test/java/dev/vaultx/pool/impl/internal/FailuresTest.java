package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.ParseException;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the pool says about a transport failure never repeats what the server sent: core5's parse failures
 * quote the offending bytes, and a server or proxy that echoes the request would put its
 * {@code X-Vault-Token} there.
 */
class FailuresTest {

    private static final String ECHO = "ECHO GET /v1/secret HTTP/1.1 X-Vault-Token: s.TOKEN-1234";

    @Test
    void aParseFailureIsDescribedByItsGistWithoutTheQuotedBytes() {
        ParseException e = new ParseException("Invalid protocol version", ECHO, 0, ECHO.length(), 0);
        assertThat(e.getMessage()).as("core5 quotes the input").contains("TOKEN-1234");

        assertThat(Failures.describe(new CompletionException(e))).isEqualTo("ParseException: Invalid protocol version");
        assertThat(Failures.kindOf(e, false)).isEqualTo(FailureKind.PROTOCOL_ERROR);

        Throwable cause = Failures.cause(e);
        assertThat(cause.getMessage()).doesNotContain("TOKEN").contains("org.apache.hc.core5.http.ParseException")
                .contains("Invalid protocol version");
        assertThat(cause.getStackTrace()).isEqualTo(e.getStackTrace());
        assertThat(cause.getCause()).isNull();
    }

    @Test
    void aBrokenChunkIsAProtocolErrorDescribedWithoutItsBytes() {
        MalformedChunkCodingException e = new MalformedChunkCodingException("Bad chunk header: " + ECHO);

        assertThat(Failures.kindOf(e, false)).isEqualTo(FailureKind.PROTOCOL_ERROR);
        assertThat(Failures.describe(e)).isEqualTo("MalformedChunkCodingException: Bad chunk header");
        assertThat(Failures.cause(e).getMessage()).doesNotContain("TOKEN");
    }

    @Test
    void otherFailuresKeepTheirMessageAndThemselvesAsCause() {
        SocketException e = new SocketException("Connection reset");

        assertThat(Failures.describe(e)).isEqualTo("SocketException: Connection reset");
        assertThat(Failures.cause(new CompletionException(e))).isSameAs(e);
        assertThat(Failures.kindOf(e, false)).isEqualTo(FailureKind.CONNECTION_RESET);
    }

    @Test
    void controlCharactersOfAGistAreDropped() {
        // core5's HttpException escapes them itself ([0x0d]); an IOException such as a broken chunk does not
        assertThat(Failures.describe(new MalformedChunkCodingException("Bad\r\nline\u0000 here: " + ECHO)))
                .isEqualTo("MalformedChunkCodingException: Badline here");
    }
}
