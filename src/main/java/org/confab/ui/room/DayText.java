package org.confab.ui.room;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Locale;

/** The label of a day divider: "Today", "Yesterday", a weekday within the week, else a date. */
final class DayText {
    private DayText() {}

    static String of(LocalDate day, LocalDate today) {
        if (day.equals(today)) {
            return "Today";
        }
        if (day.equals(today.minusDays(1))) {
            return "Yesterday";
        }
        if (day.isAfter(today.minusDays(7)) && day.isBefore(today)) {
            return day.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.getDefault());
        }
        return day.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG));
    }
}
