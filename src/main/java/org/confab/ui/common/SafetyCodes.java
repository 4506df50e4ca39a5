package org.confab.ui.common;

import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import org.confab.core.Fingerprint;
import org.kordamp.ikonli.javafx.FontIcon;

/** How the UI writes a room's safety code, and the small marks that go with peer names. */
public final class SafetyCodes {
    /** The sentence every safety code comes with. */
    public static final String COMPARE =
            "Compare this code with the one on the host's screen. If they match, the connection is private.";
    /** Tooltip of the mark next to a name that mixes scripts. */
    public static final String MIXED_SCRIPTS =
            "This name mixes alphabets (e.g. Cyrillic and Latin) and may imitate another name";

    private SafetyCodes() {}

    /** Six groups on one line: "03941 55820 71236 00412 99731 45008". */
    public static String oneLine(Fingerprint fp) {
        return fp == null ? "" : fp.safetyCode();
    }

    /** Three groups per line, for the large display in dialogs. */
    public static String twoLines(Fingerprint fp) {
        if (fp == null) {
            return "";
        }
        String[] g = fp.safetyCode().split(" ");
        return String.join(" ", g[0], g[1], g[2]) + "\n" + String.join(" ", g[3], g[4], g[5]);
    }

    /** Whitespace-insensitive form, to compare codes shown in different layouts. */
    public static String digits(String shown) {
        return shown == null ? "" : shown.replaceAll("\\s+", "");
    }

    /** The small warning icon for a nickname that mixes scripts (with its tooltip). */
    public static FontIcon mixedScriptMark() {
        FontIcon icon = new FontIcon("fth-alert-triangle");
        icon.getStyleClass().add("mixed-script-mark");
        Tooltip tip = new Tooltip(MIXED_SCRIPTS);
        tip.setShowDelay(Duration.millis(250));
        tip.setWrapText(true);
        tip.setMaxWidth(320);
        Tooltip.install(icon, tip);
        icon.setAccessibleText(MIXED_SCRIPTS);
        return icon;
    }
}
