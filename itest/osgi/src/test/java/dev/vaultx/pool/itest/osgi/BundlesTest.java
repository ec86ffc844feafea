package dev.vaultx.pool.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The bundles themselves: resolution, exports, embedding, components and metatype. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class BundlesTest {

    static final String API = "dev.vaultx.pool.api";
    static final String IMPL = "dev.vaultx.pool.impl";
    static final String JMX = "dev.vaultx.pool.jmx";
    static final String MICROMETER = "dev.vaultx.pool.micrometer";

    @InjectBundleContext
    BundleContext context;

    @Test
    void everyBundleResolvesAndStarts() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                notActive.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertTrue(notActive.isEmpty(), "bundles not started: " + notActive);
        for (String bsn : List.of(API, IMPL, JMX, MICROMETER)) {
            assertEquals(Bundle.ACTIVE, bundle(bsn).getState(), bsn);
        }
    }

    @Test
    void apiExportsItsPackagesAtTheProjectVersion() {
        Bundle api = bundle(API);
        Version v = api.getVersion();
        Version expected = new Version(v.getMajor(), v.getMinor(), v.getMicro());
        Map<String, Version> exports = exports(api);
        assertTrue(exports.containsKey("dev.vaultx.pool"), "api exports " + exports);
        exports.forEach((pkg, version) -> assertEquals(expected, version, pkg));
    }

    @Test
    void implExportsNothingInternalAndEmbedsHttpClient() {
        Bundle impl = bundle(IMPL);
        assertEquals(Set.of("dev.vaultx.pool.impl"), exports(impl).keySet());
        assertEquals(Set.of("dev.vaultx.pool.jmx"), exports(bundle(JMX)).keySet());
        assertEquals(Set.of("dev.vaultx.pool.micrometer"), exports(bundle(MICROMETER)).keySet());
        List<String> imported = impl.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package").stream()
                .map(w -> (String) w.getCapability().getAttributes().get("osgi.wiring.package")).toList();
        assertTrue(imported.stream().noneMatch(p -> p.startsWith("org.apache.hc.")), "impl imports " + imported);
        // the PEM reader shared with the api bundle: exported there only to importers that name vaultx.internal
        assertTrue(imported.contains("dev.vaultx.pool.internal"), "impl imports " + imported);
        BundleCapability internal = bundle(API).adapt(BundleWiring.class).getCapabilities("osgi.wiring.package").stream()
                .filter(c -> "dev.vaultx.pool.internal".equals(c.getAttributes().get("osgi.wiring.package"))).findFirst()
                .orElseThrow(() -> new AssertionError("api exports no dev.vaultx.pool.internal"));
        assertEquals("vaultx.internal", internal.getDirectives().get("mandatory"));
        assertNotNull(impl.getEntry("org/apache/hc/client5/http/impl/async/HttpAsyncClients.class"), "httpclient5 embedded in impl");
        assertTrue(imported.contains("dev.failsafe") && imported.contains("org.slf4j"), "impl imports " + imported);
    }

    @Test
    void componentsAreDeclaredAndTheWhiteboardIsActive(@InjectService ServiceComponentRuntime scr) {
        ComponentDescriptionDTO pool = scr.getComponentDescriptionDTO(bundle(IMPL), "dev.vaultx.pool");
        assertNotNull(pool, "component dev.vaultx.pool");
        assertEquals("require", pool.configurationPolicy);
        assertEquals(List.of("dev.vaultx.pool"), Arrays.asList(pool.configurationPid));
        List<ComponentDescriptionDTO> jmx = new ArrayList<>(scr.getComponentDescriptionDTOs(bundle(JMX)));
        assertEquals(1, jmx.size(), "components of the jmx bundle");
        assertEquals("dev.vaultx.pool.ConnectionPool", jmx.get(0).references[0].interfaceName);
        assertEquals("dynamic", jmx.get(0).references[0].policy);
        assertEquals("0..n", jmx.get(0).references[0].cardinality);
        List<Integer> states = scr.getComponentConfigurationDTOs(jmx.get(0)).stream().map(c -> c.state).toList();
        assertEquals(List.of(ComponentConfigurationDTO.ACTIVE), states);
    }

    @Test
    void metatypeDescribesEveryKeyWithThePoolsDefaults(@InjectService MetaTypeService metatype) throws Exception {
        MetaTypeInformation info = metatype.getMetaTypeInformation(bundle(IMPL));
        assertTrue(Arrays.asList(info.getFactoryPids()).contains("dev.vaultx.pool"), "factory PIDs " + Arrays.toString(info.getFactoryPids()));
        ObjectClassDefinition ocd = info.getObjectClassDefinition("dev.vaultx.pool", null);
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        Set<String> ids = Arrays.stream(ads).map(AttributeDefinition::getID).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(PoolConfigReader.keys());
        expected.add("name");
        assertEquals(expected, ids);

        // a configuration made of the metatype's defaults is the builder's default configuration
        Map<String, String> values = new HashMap<>();
        for (AttributeDefinition ad : ads) {
            if (ad.getDefaultValue() != null) {
                values.put(ad.getID(), String.join(",", ad.getDefaultValue()));
            }
        }
        values.put("nodes", "http://127.0.0.1:8200");
        String prefix = PoolConfigReader.prefix("defaults");
        PoolConfig fromMetatype = PoolConfigReader.read("defaults", k -> values.get(k.substring(prefix.length())));
        PoolConfig defaults = PoolConfig.builder().name("defaults").nodes("http://127.0.0.1:8200").build();
        for (Method m : PoolConfig.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                    && !Set.of("toBuilder", "toString", "hashCode").contains(m.getName())) {
                assertEquals(m.invoke(defaults), m.invoke(fromMetatype), "default of " + m.getName());
            }
        }
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + bsn));
    }

    private static Map<String, Version> exports(Bundle b) {
        Map<String, Version> exports = new HashMap<>();
        for (BundleCapability c : b.adapt(BundleWiring.class).getCapabilities("osgi.wiring.package")) {
            exports.put((String) c.getAttributes().get("osgi.wiring.package"), (Version) c.getAttributes().get("version"));
        }
        return exports;
    }
}
