package org.confab.ui.emoji;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.confab.ui.common.Settings;

/** What the emoji picker remembers between uses: the recently used emoji and the chosen skin tone. */
public interface PickerMemory {
    /** How many recent emoji are kept. */
    int RECENT_MAX = 27;

    /** Most recent first, as their characters. */
    List<String> recent();

    /** Puts {@code emoji} first in the recent ones. */
    void used(String emoji);

    SkinTone tone();

    void tone(SkinTone tone);

    /** Kept in {@code settings} (keys {@code emoji.recent}, {@code emoji.tone}). */
    static PickerMemory of(Settings settings) {
        return new PickerMemory() {
            @Override
            public List<String> recent() {
                String s = settings.get("emoji.recent", "");
                return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
            }

            @Override
            public void used(String emoji) {
                settings.put("emoji.recent", String.join(" ", PickerMemory.push(recent(), emoji)));
            }

            @Override
            public SkinTone tone() {
                return SkinTone.parse(settings.get("emoji.tone", SkinTone.NONE.name()));
            }

            @Override
            public void tone(SkinTone tone) {
                settings.put("emoji.tone", tone.name());
            }
        };
    }

    /** Kept for this run only. */
    static PickerMemory inMemory() {
        return of(Settings.inMemory());
    }

    /** {@code recent} with {@code emoji} first, once, at most {@link #RECENT_MAX}. */
    static List<String> push(List<String> recent, String emoji) {
        List<String> out = new ArrayList<>();
        out.add(emoji);
        for (String r : recent) {
            if (!r.equals(emoji) && !r.isBlank() && out.size() < RECENT_MAX) {
                out.add(r);
            }
        }
        return out;
    }
}
