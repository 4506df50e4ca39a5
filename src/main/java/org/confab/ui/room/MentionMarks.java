package org.confab.ui.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.Node;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * Marks where a message names the person reading it: each {@code @nick} (or bare {@code nick} as
 * a word, as {@link RoomViewModel#mentions} counts it) becomes a Text run of its own with the
 * style class {@code mention}, in bold. The characters stay the same, in the same order: selection
 * and copy give back the original text. Links and code are left as they are.
 */
final class MentionMarks {
    static final String STYLE = "mention";

    private MentionMarks() {}

    /** {@code nodes} with the mentions of {@code nick} split out and marked (the other nodes unchanged). */
    static List<Node> mark(List<? extends Node> nodes, String nick) {
        List<Node> out = new ArrayList<>(nodes.size() + 2);
        for (Node n : nodes) {
            if (n instanceof Text t && marks(t)) {
                split(t, nick, out);
            } else {
                out.add(n);
            }
        }
        return out;
    }

    /** Plain words only: not a link, not code, not marked already. */
    private static boolean marks(Text t) {
        var classes = t.getStyleClass();
        return t.getUserData() == null // a marker, a note, or a run shown without its hidden characters
                && !classes.contains("md-link")
                && !classes.contains("md-code")
                && !classes.contains(STYLE);
    }

    /** The ranges {@code [start, end)} of {@code text} that name {@code nick} (a leading {@code @} included). */
    static List<int[]> ranges(String text, String nick) {
        List<int[]> found = new ArrayList<>();
        if (nick == null || nick.isBlank() || text == null) {
            return found;
        }
        String t = text.toLowerCase(Locale.ROOT);
        String n = nick.toLowerCase(Locale.ROOT);
        if (t.length() != text.length()) {
            return found; // case folding changed the length (rare scripts): no marks rather than wrong ones
        }
        for (int i = t.indexOf(n); i >= 0; i = t.indexOf(n, i + n.length())) {
            int end = i + n.length();
            boolean startOk = i == 0 || !Character.isLetterOrDigit(t.codePointBefore(i));
            boolean endOk = end == t.length() || !Character.isLetterOrDigit(t.codePointAt(end));
            if (startOk && endOk) {
                int start = i > 0 && t.charAt(i - 1) == '@' ? i - 1 : i;
                found.add(new int[] {start, end});
            }
        }
        return found;
    }

    private static void split(Text t, String nick, List<Node> out) {
        String s = t.getText();
        List<int[]> ranges = ranges(s, nick);
        if (ranges.isEmpty()) {
            out.add(t);
            return;
        }
        int at = 0;
        for (int[] r : ranges) {
            if (r[0] > at) {
                out.add(copy(t, s.substring(at, r[0]), false));
            }
            out.add(copy(t, s.substring(r[0], r[1]), true));
            at = r[1];
        }
        if (at < s.length()) {
            out.add(copy(t, s.substring(at), false));
        }
    }

    private static Text copy(Text t, String s, boolean mention) {
        Text c = new Text(s);
        Font f = t.getFont();
        c.setFont(mention ? Font.font(f.getFamily(), FontWeight.BOLD, f.getSize()) : f);
        c.setStrikethrough(t.isStrikethrough());
        c.getStyleClass().setAll(t.getStyleClass());
        if (mention) {
            c.getStyleClass().add(STYLE);
        }
        return c;
    }
}
