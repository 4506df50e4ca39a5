package org.confab.ui.common;

import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/**
 * Where "Copy" puts text. Views get one from their window instead of reaching for the system
 * clipboard themselves, so a test can read what was copied without touching the desktop's.
 */
@FunctionalInterface
public interface TextClipboard {
    /** Puts {@code text} on the clipboard as plain text (FX thread). */
    void copy(String text);

    /**
     * What "Paste" reads beyond text (files copied in a file manager, an image): the desktop's
     * clipboard (FX thread).
     */
    default Clipboard contents() {
        return Clipboard.getSystemClipboard();
    }

    /** The desktop's clipboard. */
    static TextClipboard system() {
        return text -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            Clipboard.getSystemClipboard().setContent(c);
        };
    }
}
