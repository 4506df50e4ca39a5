package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NicknameRulesTest {
    @Test
    void aPlainUserNameIsKept() {
        assertThat(NicknameRules.fromUserName("alice")).isEqualTo("alice");
        assertThat(NicknameRules.fromUserName("Zoë Müller")).isEqualTo("Zoë Müller");
    }

    @Test
    void refusedCharactersAreDroppedAndSpacesFolded() {
        assertThat(NicknameRules.fromUserName("  bob\u0000\u202e  the\t\tbuilder "))
                .isEqualTo("bob the builder");
        assertThat(NicknameRules.problem(NicknameRules.fromUserName("  bob\u0000\u202e  the\t\tbuilder ")))
                .isEmpty();
    }

    @Test
    void aLongUserNameIsCutToTheLimit() {
        String nick = NicknameRules.fromUserName("x".repeat(40) + "\uD83D\uDE00");
        assertThat(nick).isEqualTo("x".repeat(NicknameRules.MAX_LENGTH));
        String astral = NicknameRules.fromUserName("\uD83D\uDE00".repeat(40));
        assertThat(astral.codePointCount(0, astral.length())).isEqualTo(NicknameRules.MAX_LENGTH);
        assertThat(NicknameRules.problem(astral)).isEmpty();
    }

    @Test
    void nothingValidLeftGivesGuest() {
        assertThat(NicknameRules.fromUserName(null)).isEqualTo("guest");
        assertThat(NicknameRules.fromUserName("")).isEqualTo("guest");
        assertThat(NicknameRules.fromUserName(" \u0000\u200b\t")).isEqualTo("guest");
    }
}
