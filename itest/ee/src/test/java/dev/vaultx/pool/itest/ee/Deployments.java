package dev.vaultx.pool.itest.ee;

import java.io.File;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the test WARs, on the client side. Each WAR carries what a user's WAR would: the
 * vaultx-pool jars and their dependencies in {@code WEB-INF/lib} (copied by the build to
 * {@code target/war-libs}), {@code WEB-INF/beans.xml}, and the WildFly descriptor of the
 * {@code jdk.net} module. The pool configuration goes into
 * {@code WEB-INF/classes/META-INF/microprofile-config.properties}, read through MicroProfile Config
 * in WildFly and Liberty; the same keys are also set as system properties of this JVM, which is
 * where Weld embedded (no MicroProfile Config) reads them.
 */
final class Deployments {

    static final String JBOSS_DEPLOYMENT_STRUCTURE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <jboss-deployment-structure xmlns="urn:jboss:deployment-structure:1.3">
              <deployment>
                <dependencies>
                  <!-- httpcore5 5.4 refers to jdk.net.Sockets, which WildFly does not expose to deployments by default -->
                  <module name="jdk.net"/>
                </dependencies>
              </deployment>
            </jboss-deployment-structure>
            """;

    private Deployments() {
    }

    /** @return the configuration keys of a pool on the test cluster, ready for {@link #war} */
    static Map<String, String> pool(String name, String... keyValues) {
        String prefix = "default".equals(name) ? "vaultx.pool." : "vaultx.pool." + name + ".";
        Map<String, String> config = new LinkedHashMap<>();
        config.put(prefix + "nodes", TestCluster.nodes());
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            config.put(prefix + keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    /**
     * @param name the archive name, e.g. {@code pools.war}
     * @param config the {@code vaultx.pool.*} keys
     * @param classes the application's classes
     */
    static WebArchive war(String name, Map<String, String> config, Class<?>... classes) {
        WebArchive war = ShrinkWrap.create(WebArchive.class, name)
                .addClasses(classes)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsWebInfResource(new StringAsset(JBOSS_DEPLOYMENT_STRUCTURE), "jboss-deployment-structure.xml")
                .addAsResource(new StringAsset(properties(config)), "META-INF/microprofile-config.properties");
        for (File lib : warLibs()) {
            war.addAsLibrary(ShrinkWrap.createFromZipFile(JavaArchive.class, lib));
        }
        war.addAsLibrary(jarOf(org.assertj.core.api.Assertions.class));
        config.forEach(System::setProperty); // Weld embedded runs in this JVM and has no MicroProfile Config
        return war;
    }

    /** A WAR without vaultx-pool, for looking at the server from outside a pool deployment. */
    static WebArchive plain(String name, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name)
                .addClasses(classes)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    private static File[] warLibs() {
        File dir = new File(Objects.requireNonNull(System.getProperty("itest.war.libs"),
                "itest.war.libs (expected: set by the build to target/war-libs)"));
        File[] libs = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (libs == null || libs.length == 0) {
            throw new IllegalStateException("itest.war.libs: " + dir + " (expected: the jars copied by the build)");
        }
        Arrays.sort(libs, Comparator.comparing(File::getName));
        return libs;
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String properties(Map<String, String> config) {
        Properties p = new Properties();
        p.putAll(config);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "vaultx-pool itest");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }
}
