package org.confab.ui.notify;

import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

/**
 * The Unity LauncherEntry API, as dbus-java maps it: an app emits {@code Update(app_uri,
 * properties)} on the session bus from an object of its own, and the docks and task managers that
 * listen (KDE Plasma, Ubuntu Dock / Dash to Dock, Dash to Panel, Plank, Latte, ...) badge the
 * launcher of that desktop entry. No bus name is needed and nothing is called back.
 */
@DBusInterfaceName(UnityLauncherEntry.INTERFACE)
interface UnityLauncherEntry extends DBusInterface {
    String INTERFACE = "com.canonical.Unity.LauncherEntry";

    /** {@code Update(s app_uri, a{sv} properties)}: count (x), count-visible (b), urgent (b), ... */
    final class Update extends DBusSignal {
        private final String appUri;
        private final Map<String, Variant<?>> properties;

        public Update(String path, String appUri, Map<String, Variant<?>> properties) throws DBusException {
            super(path, appUri, properties);
            this.appUri = appUri;
            this.properties = Map.copyOf(properties);
        }

        public String appUri() {
            return appUri;
        }

        public Map<String, Variant<?>> properties() {
            return properties;
        }
    }
}
