package org.confab.ui.start;

import java.util.ArrayList;
import java.util.List;
import org.confab.core.InviteLink;
import org.confab.ui.common.Settings;

/** The rooms this person was in lately (the start screen's list), kept in the settings. */
public final class RecentRooms {
    /** At most this many are remembered. */
    static final int MAX_RECENT = 4;

    /** One remembered room: where it is and what it was called. */
    public record Recent(InviteLink link, String roomName) {}

    private RecentRooms() {}

    /** Remembered rooms, newest first. */
    public static List<Recent> list(Settings settings) {
        List<Recent> out = new ArrayList<>();
        for (String line : settings.get("recent", "").split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            try {
                out.add(new Recent(InviteLink.parseAddress(line.substring(0, tab), -1), line.substring(tab + 1)));
            } catch (IllegalArgumentException e) {
                // skip a damaged entry
            }
        }
        return out;
    }

    /** Puts a room first in the remembered list (at most a few, no duplicates). */
    public static void remember(Settings settings, InviteLink link, String roomName) {
        List<Recent> list = new ArrayList<>(list(settings));
        list.removeIf(r -> r.link().sameAddress(link));
        list.addFirst(new Recent(
                link.withFingerprint(null), roomName.replace('\n', ' ').replace('\t', ' ')));
        StringBuilder b = new StringBuilder();
        for (Recent r : list.subList(0, Math.min(MAX_RECENT, list.size()))) {
            b.append(r.link().address()).append('\t').append(r.roomName()).append('\n');
        }
        settings.put("recent", b.toString());
    }
}
