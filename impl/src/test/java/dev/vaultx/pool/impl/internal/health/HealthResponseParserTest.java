package dev.vaultx.pool.impl.internal.health;

import dev.vaultx.pool.NodeRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HealthResponseParserTest {

    private static final String CLUSTER_ID = "5f3c2a1e-7b9d-4c2f-8a61-0d9e3b4c5a6f";

    private static final String ACTIVE = """
            {"initialized":true,"sealed":false,"standby":false,"performance_standby":false,\
            "replication_performance_mode":"disabled","replication_dr_mode":"disabled",\
            "server_time_utc":1700000000,"version":"1.19.0","enterprise":false,\
            "cluster_name":"vault-cluster-1","cluster_id":"%s","last_wal":0,\
            "echo_duration_ms":0,"clock_skew_ms":0,"replication_primary_canary_age_ms":0,\
            "removed_from_cluster":false}
            """.formatted(CLUSTER_ID);

    private static final String STANDBY = """
            {"initialized":true,"sealed":false,"standby":true,"performance_standby":false,\
            "replication_performance_mode":"disabled","replication_dr_mode":"disabled",\
            "server_time_utc":1700000001,"version":"1.19.0","enterprise":false,\
            "cluster_name":"vault-cluster-1","cluster_id":"%s","echo_duration_ms":2,"clock_skew_ms":0,\
            "replication_primary_canary_age_ms":0,"removed_from_cluster":false,\
            "ha_connection_healthy":true,"last_request_forwarding_heartbeat_ms":512}
            """.formatted(CLUSTER_ID);

    private static final String PERF_STANDBY = """
            {"initialized":true,"sealed":false,"standby":true,"performance_standby":true,\
            "replication_performance_mode":"primary","replication_dr_mode":"disabled",\
            "server_time_utc":1700000002,"version":"1.19.0+ent","enterprise":true,\
            "cluster_name":"vault-cluster-1","cluster_id":"%s",\
            "license":{"state":"autoloaded","expiry_time":"2030-01-01T00:00:00Z","terminated":false},\
            "echo_duration_ms":1,"clock_skew_ms":0,"replication_primary_canary_age_ms":120,\
            "removed_from_cluster":false,"ha_connection_healthy":true,"last_request_forwarding_heartbeat_ms":480}
            """.formatted(CLUSTER_ID);

    private static final String DR_SECONDARY = """
            {"initialized":true,"sealed":false,"standby":false,"performance_standby":false,\
            "replication_performance_mode":"disabled","replication_dr_mode":"secondary",\
            "server_time_utc":1700000003,"version":"1.19.0+ent","enterprise":true,\
            "cluster_name":"vault-dr","cluster_id":"9a8b7c6d","last_wal":1234}
            """;

    private static final String HA_UNHEALTHY = """
            {"initialized":true,"sealed":false,"standby":true,"performance_standby":false,\
            "replication_performance_mode":"disabled","replication_dr_mode":"disabled",\
            "server_time_utc":1700000004,"version":"1.19.0","enterprise":false,\
            "cluster_name":"vault-cluster-1","cluster_id":"%s","removed_from_cluster":false,\
            "ha_connection_healthy":false,"last_request_forwarding_heartbeat_ms":9000}
            """.formatted(CLUSTER_ID);

    private static final String REMOVED = """
            {"initialized":true,"sealed":true,"standby":true,"performance_standby":false,\
            "replication_performance_mode":"unknown","replication_dr_mode":"unknown",\
            "server_time_utc":1700000005,"version":"1.19.0","enterprise":false,\
            "removed_from_cluster":true}
            """;

    private static final String SEALED = """
            {"initialized":true,"sealed":true,"standby":true,"performance_standby":false,\
            "replication_performance_mode":"unknown","replication_dr_mode":"unknown",\
            "server_time_utc":1700000006,"version":"1.19.0","enterprise":false,\
            "echo_duration_ms":0,"clock_skew_ms":0,"replication_primary_canary_age_ms":0}
            """;

    private static final String UNINITIALIZED = """
            {"initialized":false,"sealed":true,"standby":true,"performance_standby":false,\
            "replication_performance_mode":"unknown","replication_dr_mode":"unknown",\
            "server_time_utc":1700000007,"version":"1.19.0","enterprise":false}
            """;

    /** OpenBao has no performance standbys, removed/HA-heartbeat fields or DR replication. */
    private static final String OPENBAO_ACTIVE = """
            {"initialized":true,"sealed":false,"standby":false,\
            "replication_performance_mode":"disabled","replication_dr_mode":"disabled",\
            "server_time_utc":1700000008,"version":"2.2.0","enterprise":false,\
            "cluster_name":"bao-cluster","cluster_id":"c0ffee00"}
            """;

    private static final String OPENBAO_STANDBY = """
            {"initialized":true,"sealed":false,"standby":true,\
            "replication_performance_mode":"disabled","replication_dr_mode":"disabled",\
            "server_time_utc":1700000009,"version":"2.2.0","enterprise":false,\
            "cluster_name":"bao-cluster","cluster_id":"c0ffee00"}
            """;

    private static HealthProbeResult parse(int status, String body) {
        return HealthResponseParser.parse(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void activeBodyIsActiveWithClusterIdentity() {
        assertThat(parse(200, ACTIVE)).isEqualTo(new HealthProbeResult(
                NodeRole.ACTIVE, CLUSTER_ID, "vault-cluster-1", "1.19.0", 1_700_000_000L, null));
    }

    @Test
    void standbyBodyRemappedTo299IsStandby() {
        HealthProbeResult r = parse(299, STANDBY);
        assertThat(r.role()).isEqualTo(NodeRole.STANDBY);
        assertThat(r.clusterId()).isEqualTo(CLUSTER_ID);
        assertThat(r.serverTimeUtc()).isEqualTo(1_700_000_001L);
        assertThat(r.error()).isNull();
    }

    @Test
    void performanceStandbyBodyWithNestedLicenseIsPerformanceStandby() {
        HealthProbeResult r = parse(299, PERF_STANDBY);
        assertThat(r.role()).isEqualTo(NodeRole.PERFORMANCE_STANDBY);
        assertThat(r.version()).isEqualTo("1.19.0+ent");
        assertThat(r.error()).isNull();
    }

    @Test
    void drSecondaryBodyIsDrSecondary() {
        HealthProbeResult r = parse(299, DR_SECONDARY);
        assertThat(r.role()).isEqualTo(NodeRole.DR_SECONDARY);
        assertThat(r.clusterName()).isEqualTo("vault-dr");
    }

    @Test
    void drPrimaryIsNotDrSecondary() {
        assertThat(parse(200, ACTIVE.replace("\"replication_dr_mode\":\"disabled\"", "\"replication_dr_mode\":\"primary\""))
                .role()).isEqualTo(NodeRole.ACTIVE);
    }

    @Test
    void haConnectionUnhealthyStandbyIsHaUnhealthy() {
        assertThat(parse(299, HA_UNHEALTHY).role()).isEqualTo(NodeRole.HA_UNHEALTHY);
    }

    @Test
    void haConnectionUnhealthyWinsOverPerformanceStandby() {
        String body = HA_UNHEALTHY.replace("\"performance_standby\":false", "\"performance_standby\":true");
        assertThat(parse(299, body).role()).isEqualTo(NodeRole.HA_UNHEALTHY);
    }

    @Test
    void removedFromClusterWinsOverSealed() {
        HealthProbeResult r = parse(299, REMOVED);
        assertThat(r.role()).isEqualTo(NodeRole.REMOVED);
        assertThat(r.clusterId()).isNull();
    }

    @Test
    void sealedBodyOmitsClusterIdentity() {
        HealthProbeResult r = parse(299, SEALED);
        assertThat(r).isEqualTo(new HealthProbeResult(NodeRole.SEALED, null, null, "1.19.0", 1_700_000_006L, null));
    }

    @Test
    void uninitializedBodyWinsOverSealed() {
        assertThat(parse(299, UNINITIALIZED).role()).isEqualTo(NodeRole.UNINITIALIZED);
    }

    @Test
    void sealedBodyWinsOver200Status() {
        assertThat(parse(200, SEALED).role()).isEqualTo(NodeRole.SEALED);
    }

    @Test
    void uninitializedBodyWinsOver200Status() {
        assertThat(parse(200, UNINITIALIZED).role()).isEqualTo(NodeRole.UNINITIALIZED);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 299, 429, 473, 503, 500})
    void bodyDecidesWhateverTheStatus(int status) {
        assertThat(parse(status, PERF_STANDBY).role()).isEqualTo(NodeRole.PERFORMANCE_STANDBY);
        assertThat(parse(status, ACTIVE).role()).isEqualTo(NodeRole.ACTIVE);
    }

    @Test
    void openBaoActiveBodyWithoutPerformanceStandbyFieldIsActive() {
        HealthProbeResult r = parse(200, OPENBAO_ACTIVE);
        assertThat(r).isEqualTo(new HealthProbeResult(
                NodeRole.ACTIVE, "c0ffee00", "bao-cluster", "2.2.0", 1_700_000_008L, null));
    }

    @ParameterizedTest
    @ValueSource(ints = {299, 429})
    void openBaoStandbyBodyIsStandby(int status) {
        assertThat(parse(status, OPENBAO_STANDBY).role()).isEqualTo(NodeRole.STANDBY);
    }

    @Test
    void serverIgnoringOverridesStillClassifiedFromBody() {
        // A server that ignores performancestandbycode answers its default 473.
        assertThat(parse(473, PERF_STANDBY).role()).isEqualTo(NodeRole.PERFORMANCE_STANDBY);
        assertThat(parse(474, HA_UNHEALTHY).role()).isEqualTo(NodeRole.HA_UNHEALTHY);
        assertThat(parse(472, DR_SECONDARY).role()).isEqualTo(NodeRole.DR_SECONDARY);
        assertThat(parse(530, REMOVED).role()).isEqualTo(NodeRole.REMOVED);
    }

    @ParameterizedTest
    @CsvSource({"200, ACTIVE", "429, STANDBY", "472, DR_SECONDARY", "473, PERFORMANCE_STANDBY",
            "474, HA_UNHEALTHY", "501, UNINITIALIZED", "503, SEALED", "530, REMOVED"})
    void defaultStatusCodeDecidesWithoutBody(int status, NodeRole expected) {
        HealthProbeResult expectedResult = new HealthProbeResult(expected, null, null, null, null, null);
        assertThat(HealthResponseParser.parse(status, new byte[0])).isEqualTo(expectedResult);
        assertThat(HealthResponseParser.parse(status, null)).isEqualTo(expectedResult);
        assertThat(parse(status, " \r\n\t")).isEqualTo(expectedResult);
    }

    @Test
    void remapped299WithoutBodyIsUnreachable() {
        assertThat(HealthResponseParser.parse(299, null))
                .isEqualTo(HealthProbeResult.unreachable("health answered 299 without a body"));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 500, 502, 504, 307, 0, -1})
    void unexpectedStatusIsUnreachable(int status) {
        HealthProbeResult expected = HealthProbeResult.unreachable("unexpected health status " + status);
        assertThat(HealthResponseParser.parse(status, null)).isEqualTo(expected);
        assertThat(parse(status, "{\"errors\":[\"local node not active but active cluster node not found\"]}"))
                .isEqualTo(expected);
        assertThat(parse(status, "<html>Bad Gateway</html>")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"429, STANDBY", "473, PERFORMANCE_STANDBY", "501, UNINITIALIZED", "503, SEALED", "530, REMOVED"})
    void invalidJsonWithKnownStatusFallsBackToStatusWithError(int status, NodeRole expected) {
        assertThat(parse(status, "<html><body>Service Unavailable</body></html>")).isEqualTo(
                new HealthProbeResult(expected, null, null, null, null, "invalid JSON from /v1/sys/health"));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204, 299})
    void invalidJsonWithSuccessStatusIsUnreachable(int status) {
        assertThat(parse(status, "{\"initialized\":true,\"sealed\":"))
                .isEqualTo(HealthProbeResult.unreachable("invalid JSON from /v1/sys/health"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"ok\"", "42", "null", "true", "{\"initialized\":true} {}", "{\"initialized\":true}]"})
    void nonObjectOrTrailingContentIsInvalidJson(String body) {
        assertThat(parse(299, body)).isEqualTo(HealthProbeResult.unreachable("invalid JSON from /v1/sys/health"));
    }

    @Test
    void jsonObjectWithoutInitializedIsNotAHealthBody() {
        String errors = "{\"errors\":[\"Vault is sealed\"]}";
        assertThat(parse(503, errors).role()).isEqualTo(NodeRole.SEALED);
        assertThat(parse(503, errors).error()).isNotNull();
        assertThat(parse(200, "{}").role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(parse(299, "{\"initialized\":\"true\"}").role()).isEqualTo(NodeRole.UNREACHABLE);
    }

    @Test
    void errorNeverEchoesTheBody() {
        String body = "{\"initialized\":true, s.SECRETTOKEN123 <script>";
        HealthProbeResult r = parse(299, body);
        assertThat(r.role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(r.error()).doesNotContain("SECRETTOKEN", "script", "initialized");
    }

    @Test
    void garbageBytesNeverThrow() {
        Random random = new Random(42);
        int[] statuses = {200, 299, 429, 503, 502};
        for (int i = 0; i < 2_000; i++) {
            byte[] body = new byte[random.nextInt(300)];
            random.nextBytes(body);
            if (i % 2 == 0 && body.length > 0) {
                body[0] = '{';
            }
            int status = statuses[i % statuses.length];
            HealthProbeResult r = HealthResponseParser.parse(status, body);
            assertThat(r).isNotNull();
            assertThat(r.role()).isNotNull();
            if (status == 299 && body.length > 0) {
                assertThat(r.role()).isEqualTo(NodeRole.UNREACHABLE);
            }
        }
        assertThat(HealthResponseParser.parse(299, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}).role())
                .isEqualTo(NodeRole.UNREACHABLE);
    }

    @Test
    void nestedLicenseObjectIsSkipped() {
        String body = ACTIVE.replace("\"last_wal\":0,",
                "\"license\":{\"state\":\"autoloaded\",\"sealed\":true,\"initialized\":false,"
                        + "\"nested\":{\"standby\":true,\"list\":[{\"cluster_id\":\"other\"},[1,2,{}]]}},"
                        + "\"features\":[\"a\",{\"sealed\":true}],");
        assertThat(parse(200, body)).isEqualTo(new HealthProbeResult(
                NodeRole.ACTIVE, CLUSTER_ID, "vault-cluster-1", "1.19.0", 1_700_000_000L, null));
    }

    @Test
    void hugeAndOddNumbersAreIgnored() {
        String body = ACTIVE.replace("\"server_time_utc\":1700000000", "\"server_time_utc\":123456789012345678901234567890")
                .replace("\"last_wal\":0", "\"last_wal\":18446744073709551615");
        HealthProbeResult r = parse(200, body);
        assertThat(r.role()).isEqualTo(NodeRole.ACTIVE);
        assertThat(r.serverTimeUtc()).isNull();
        assertThat(parse(200, ACTIVE.replace("1700000000", "1.7e9")).serverTimeUtc()).isNull();
        assertThat(parse(200, ACTIVE.replace("1700000000", "\"1700000000\"")).serverTimeUtc()).isNull();
    }

    @Test
    void deeplyNestedBodyIsInvalidJson() {
        String body = "{\"initialized\":true,\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        assertThat(parse(299, body)).isEqualTo(HealthProbeResult.unreachable("invalid JSON from /v1/sys/health"));
        assertThat(parse(503, body).role()).isEqualTo(NodeRole.SEALED);
    }

    @Test
    void oversizedBodyIsNotParsed() {
        byte[] body = new byte[HealthResponseParser.MAX_BODY_BYTES + 1];
        Arrays.fill(body, (byte) ' ');
        byte[] active = ACTIVE.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(active, 0, body, 0, active.length);
        HealthProbeResult r = HealthResponseParser.parse(200, body);
        assertThat(r.role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(r.error()).contains("larger than");
    }

    @Test
    void emptyStringsBecomeNullAndWrongTypesAreIgnored() {
        String body = "{\"initialized\":true,\"sealed\":false,\"standby\":\"true\",\"cluster_id\":\"\","
                + "\"cluster_name\":\"\",\"version\":\"\",\"server_time_utc\":null}";
        assertThat(parse(200, body)).isEqualTo(new HealthProbeResult(NodeRole.ACTIVE, null, null, null, null, null));
    }

    @Test
    void queryRemapsEveryOverrideTo299AndLeavesActiveAt200() {
        String[] params = HealthResponseParser.QUERY.split("&");
        assertThat(params).containsExactlyInAnyOrder(
                "uninitcode=299", "sealedcode=299", "standbycode=299", "drsecondarycode=299",
                "performancestandbycode=299", "removedcode=299", "haunhealthycode=299");
        assertThat(HealthResponseParser.QUERY)
                .doesNotContain("activecode", "perfstandbycode", "haunhealhty", "?", " ")
                .doesNotStartWith("&");
    }

    @Test
    void unreachableFactoryHasNoClusterData() {
        assertThat(HealthProbeResult.unreachable("connection refused"))
                .isEqualTo(new HealthProbeResult(NodeRole.UNREACHABLE, null, null, null, null, "connection refused"));
    }
}
