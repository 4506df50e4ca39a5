package org.confab.ui.common;

import org.confab.core.NicknameRules;

/** The nickname the Host and Join dialogs start with. */
public final class Nicknames {
    /** Settings key: the nickname last used to host or join. */
    public static final String LAST = "nick";

    private Nicknames() {}

    /**
     * The one last used (if still valid), else one made from {@code userName} (the operating-system
     * user name) by {@link NicknameRules#fromUserName}: a fresh install needs no typing.
     */
    public static String initial(Settings settings, String userName) {
        String last = settings.get(LAST, "");
        return NicknameRules.problem(last).isEmpty() ? last : NicknameRules.fromUserName(userName);
    }
}
