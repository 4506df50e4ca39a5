package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The application version, from the build (pom.xml's version, filtered into version.properties). */
public final class Version {
    private static final String VERSION = load();

    private Version() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/org/confab/version.properties")) {
            if (in == null) {
                return "dev";
            }
            var p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
