package org.confab.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.confab.net.HostConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Windows .msi's firewall recipe agrees with itself (it cannot be built here: no Windows, no
 * WiX): packaging/windows/firewall-rule.wxs is a WiX 3 {@code <Include>} whose rules name the app's
 * exe and ports, and BuildInstaller's merge puts it inside jpackage's {@code <Product>}.
 */
class WindowsFirewallRecipeTest {
    static final String WIX3 = "http://schemas.microsoft.com/wix/2006/wi";
    static final Path FRAGMENT = Path.of("packaging", "windows", "firewall-rule.wxs");
    /** The shape of jpackage's main.wxs (JDK 25, windows/.../resources/main.wxs): a stand-in, Linux JDKs lack it. */
    static final String JPACKAGE_LIKE_MAIN = """
            <?xml version="1.0" encoding="utf-8"?>
            <Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
              <?include $(var.JpConfigDir)/overrides.wxi ?>
              <Product Id="$(var.JpProductCode)" Name="$(var.JpAppName)" Version="$(var.JpAppVersion)">
                <Directory Id="TARGETDIR" Name="SourceDir"/>
                <Feature Id="DefaultFeature" Level="1"><ComponentGroupRef Id="Files"/></Feature>
                <InstallExecuteSequence>
                  <RemoveExistingProducts Before="CostInitialize"/>
                </InstallExecuteSequence>
              </Product>
            </Wix>
            """;

    @TempDir
    static Path classes;

    private static Method merge;

    @BeforeAll
    static void compileBuildInstaller() throws Exception {
        // BuildInstaller is a single-file source program (packaging/): compiled here as it is
        var javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                Path.of("packaging", "BuildInstaller.java").toString());
        assertThat(rc).as("javac packaging/BuildInstaller.java").isZero();
        var loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
        merge = loader.loadClass("BuildInstaller")
                .getDeclaredMethod("mainWxsWithFirewallRules", String.class, String.class);
        merge.setAccessible(true);
    }

    private static String merged(String main, String include) throws Throwable {
        try {
            return (String) merge.invoke(null, main, include);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Document parse(String xml) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        try (InputStream in = new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))) {
            return f.newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> elements(Node in, String name) {
        NodeList l = in instanceof Document d
                ? d.getElementsByTagNameNS(WIX3, name)
                : ((Element) in).getElementsByTagNameNS(WIX3, name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            out.add((Element) l.item(i));
        }
        return out;
    }

    private static String windowsExe() throws IOException {
        var p = new Properties();
        try (var in = Files.newInputStream(Path.of("packaging", "installer.properties"))) {
            p.load(in);
        }
        return p.getProperty("name.windows") + ".exe";
    }

    @Test
    void theFragmentIsAWix3IncludeWhoseRulesNameTheAppsExeAndPorts() throws Exception {
        Document doc = parse(Files.readString(FRAGMENT));
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("Include");
        assertThat(root.getNamespaceURI()).isEqualTo(WIX3);

        Set<String> actions = new HashSet<>();
        List<String> added = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        Pattern rule = Pattern.compile("firewall (add|delete) rule name=\"([^\"]+)\"(.*)");
        for (Element a : elements(doc, "CustomAction")) {
            actions.add(a.getAttribute("Id"));
            assertThat(a.getAttribute("Execute")).isEqualTo("deferred");
            assertThat(a.getAttribute("Impersonate")).isEqualTo("no"); // elevated
            String cmd = a.getAttribute("ExeCommand");
            assertThat(cmd).startsWith("\"[System64Folder]netsh.exe\" advfirewall ");
            Matcher m = rule.matcher(cmd);
            assertThat(m.find()).as(cmd).isTrue();
            if (m.group(1).equals("add")) {
                added.add(m.group(2));
                assertThat(m.group(3))
                        .contains("dir=in action=allow")
                        .contains("profile=private,domain")
                        .doesNotContain("public")
                        .contains("program=\"[INSTALLDIR]" + windowsExe() + "\"");
            } else {
                deleted.add(m.group(2));
            }
        }
        assertThat(added).hasSize(2);
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(added); // uninstall removes what install added
        String all = Files.readString(FRAGMENT);
        assertThat(all)
                .contains("protocol=TCP localport=" + HostConfig.DEFAULT_PORT + " ")
                .contains("protocol=UDP localport=5353 ");

        List<Element> custom = elements(doc, "Custom");
        assertThat(custom).hasSize(actions.size());
        for (Element c : custom) {
            assertThat(actions).contains(c.getAttribute("Action"));
            String when = c.getTextContent().strip();
            assertThat(when).isIn("NOT REMOVE", "REMOVE=\"ALL\"");
        }
    }

    @Test
    void buildInstallerPutsTheRulesInsideJpackagesProduct() throws Throwable {
        String main = merged(JPACKAGE_LIKE_MAIN, Files.readString(FRAGMENT));
        Document doc = parse(main);
        List<Element> products = elements(doc, "Product");
        assertThat(products).hasSize(1);
        Element product = products.getFirst();
        List<Element> actions = elements(product, "CustomAction");
        assertThat(actions).hasSize(4);
        for (Element a : actions) {
            assertThat(a.getParentNode()).isSameAs(product);
        }
        // jpackage's own content is still there, the rules' sequence beside its own
        assertThat(elements(product, "Feature")).hasSize(1);
        assertThat(elements(product, "InstallExecuteSequence")).hasSize(2);
        assertThat(main).contains("<?include $(var.JpConfigDir)/overrides.wxi ?>");
    }

    @Test
    void aMainWxsWithoutOneProductIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> merged("<Wix xmlns=\"" + WIX3 + "\"/>", Files.readString(FRAGMENT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("</Product>");
        assertThatThrownBy(() -> merged(JPACKAGE_LIKE_MAIN, "<!-- an <Include> -->\n<Wix></Wix>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("firewall-rule.wxs");
    }
}
