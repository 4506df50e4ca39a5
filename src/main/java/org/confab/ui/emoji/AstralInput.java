package org.confab.ui.emoji;

import javafx.event.EventHandler;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyEvent;

/**
 * Keeps characters outside the BMP whole when they are typed into a text control on Linux.
 *
 * <p>The loss: JavaFX's GTK glass turns a key press into its character with
 * {@code jchar key = gdk_keyval_to_unicode(event->keyval)} (glass_window.cpp, {@code process_key}),
 * and a {@code jchar} is 16 bits: U+1F44B 👋 arrives in the KEY_TYPED event as U+F44B, a
 * private-use character, whatever sent the key (a keyboard layout with emoji keysyms, xdotool, a
 * remote-desktop or on-screen keyboard). Text committed by an input method (an InputMethodEvent)
 * and pasted text come as whole strings and are not affected.
 *
 * <p>The repair: only the plane is lost, and emoji all live in plane 1. A typed character that is
 * private-use, unassigned or a CJK compatibility ideograph (U+F900 to U+FAFF, the range that
 * U+1F900 to U+1FAFF fall on), and that is an emoji once put back in plane 1, is replaced by that
 * emoji. Other astral characters cannot be told apart from the BMP character they fall on, and are
 * left as they came. A surrogate pair delivered as two KEY_TYPED events is joined.
 */
public final class AstralInput implements EventHandler<KeyEvent> {
    private final TextInputControl control;
    private char pendingHigh;

    private AstralInput(TextInputControl control) {
        this.control = control;
    }

    /** Installs the repair on {@code control} (an event filter on KEY_TYPED); returns it. */
    public static AstralInput install(TextInputControl control) {
        AstralInput filter = new AstralInput(control);
        control.addEventFilter(KeyEvent.KEY_TYPED, filter);
        return filter;
    }

    /** Removes it again. */
    public void uninstall() {
        control.removeEventFilter(KeyEvent.KEY_TYPED, this);
    }

    @Override
    public void handle(KeyEvent e) {
        String typed = e.getCharacter();
        if (typed.length() != 1 || e.isControlDown() || e.isMetaDown()) {
            pendingHigh = 0;
            return;
        }
        char c = typed.charAt(0);
        if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
            e.consume();
            return;
        }
        if (Character.isLowSurrogate(c) && pendingHigh != 0) {
            String pair = new String(new char[] {pendingHigh, c});
            pendingHigh = 0;
            e.consume();
            insert(pair);
            return;
        }
        pendingHigh = 0;
        String repaired = repair(typed);
        if (!repaired.equals(typed)) {
            e.consume();
            insert(repaired);
        }
    }

    private void insert(String text) {
        if (control.isEditable() && !control.isDisabled()) {
            control.replaceSelection(text);
        }
    }

    /**
     * The character glass meant to deliver for one it delivered cut to 16 bits: {@code "\uF44B"}
     * gives 👋; anything else is returned as it is.
     */
    public static String repair(String typed) {
        if (typed.length() != 1) {
            return typed;
        }
        char c = typed.charAt(0);
        int type = Character.getType(c);
        boolean suspect =
                type == Character.PRIVATE_USE || type == Character.UNASSIGNED || (c >= '\uF900' && c <= '\uFAFF');
        int astral = 0x10000 | c;
        if (suspect && c >= '\uE000' && Character.isEmoji(astral)) {
            return Character.toString(astral);
        }
        return typed;
    }
}
