package org.confab.ui.notify;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The part of the freedesktop.org Desktop Notifications interface (spec 1.2) that Confab uses, as
 * dbus-java maps it: object {@value #OBJECT_PATH} of the bus name {@value #BUS_NAME}.
 */
@DBusInterfaceName(FreedesktopNotifications.BUS_NAME)
interface FreedesktopNotifications extends DBusInterface {
    String BUS_NAME = "org.freedesktop.Notifications";
    String OBJECT_PATH = "/org/freedesktop/Notifications";

    /** {@code Notify(susssasa{sv}i) → u}: shows (or, replacesId ≠ 0, replaces) a notification. */
    @DBusMemberName("Notify")
    UInt32 show(
            String appName,
            UInt32 replacesId,
            String appIcon,
            String summary,
            String body,
            List<String> actions,
            Map<String, Variant<?>> hints,
            int expireTimeout);

    /** {@code GetCapabilities() → as}: e.g. "actions", "body", "body-markup". */
    @DBusMemberName("GetCapabilities")
    List<String> capabilities();

    /** {@code GetServerInformation() → ssss}. */
    @DBusMemberName("GetServerInformation")
    ServerInformation serverInformation();

    /** The four strings of GetServerInformation. */
    final class ServerInformation extends Tuple {
        @Position(0)
        private final String name;

        @Position(1)
        private final String vendor;

        @Position(2)
        private final String version;

        @Position(3)
        private final String specVersion;

        public ServerInformation(String name, String vendor, String version, String specVersion) {
            this.name = name;
            this.vendor = vendor;
            this.version = version;
            this.specVersion = specVersion;
        }

        public String name() {
            return name;
        }

        public String vendor() {
            return vendor;
        }

        public String version() {
            return version;
        }

        public String specVersion() {
            return specVersion;
        }
    }

    /** {@code ActionInvoked(u id, s action_key)}: the person chose an action ("default": a click). */
    final class ActionInvoked extends DBusSignal {
        private final long id;
        private final String actionKey;

        public ActionInvoked(String path, UInt32 id, String actionKey) throws DBusException {
            super(path, id, actionKey);
            this.id = id.longValue();
            this.actionKey = actionKey;
        }

        public long id() {
            return id;
        }

        public String actionKey() {
            return actionKey;
        }
    }

    /** {@code NotificationClosed(u id, u reason)}: expired (1), dismissed (2), closed (3), other (4). */
    final class NotificationClosed extends DBusSignal {
        private final long id;
        private final long reason;

        public NotificationClosed(String path, UInt32 id, UInt32 reason) throws DBusException {
            super(path, id, reason);
            this.id = id.longValue();
            this.reason = reason.longValue();
        }

        public long id() {
            return id;
        }

        public long reason() {
            return reason;
        }
    }
}
