package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.confab.core.Moderation.Action;
import org.confab.core.Moderation.Role;
import org.junit.jupiter.api.Test;

/** The room's moderation rules, its saved form, and the composer commands that drive it. */
class ModerationTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void whoMayDoWhat() {
        var m = new Moderation();
        assertThat(m.problem(Action.KICK, "carol", Role.MEMBER, "dave", Role.MEMBER, true, "k", 0))
                .isEqualTo("Only the host and moderators can remove members.");
        assertThat(m.problem(Action.MOD, "bob", Role.MODERATOR, "dave", Role.MEMBER, true, "k", 0))
                .isEqualTo("Only the host can name or remove moderators.");
        assertThat(m.problem(Action.KICK, "bob", Role.MODERATOR, "Bob", Role.MODERATOR, true, "k", 0))
                .isEqualTo("You cannot remove yourself.");
        assertThat(m.problem(Action.BAN, "bob", Role.MODERATOR, "henry", Role.HOST, true, "k", 0))
                .isEqualTo("Nobody can ban the host.");
        assertThat(m.problem(Action.MUTE, "bob", Role.MODERATOR, "eve", Role.MODERATOR, true, "k", 10))
                .isEqualTo("Only the host can mute a moderator.");
        assertThat(m.problem(Action.KICK, "bob", Role.MODERATOR, "gone", Role.MEMBER, false, null, 0))
                .isEqualTo("gone is not in the room.");
        assertThat(m.problem(Action.MOD, "henry", Role.HOST, "old", Role.MEMBER, true, null, 0))
                .contains("does not identify itself");
        assertThat(m.problem(Action.MUTE, "henry", Role.HOST, "dave", Role.MEMBER, true, "k", 0))
                .startsWith("A mute lasts from 1 minute");
        assertThat(m.problem(Action.MUTE, "henry", Role.HOST, "dave", Role.MEMBER, true, "k", 10))
                .isNull();
        assertThat(m.problem(Action.UNBAN, "henry", Role.HOST, "dave", Role.MEMBER, false, null, 0))
                .isEqualTo("dave is not banned.");
        assertThat(Moderation.topicProblem(Role.MEMBER, "x"))
                .isEqualTo("Only the host and moderators can change the topic.");
        assertThat(Moderation.topicProblem(Role.MODERATOR, "x".repeat(301))).contains("at most 300");
    }

    @Test
    void bansMatchNicknameKeyOrAddressAndMutesEnd() {
        var m = new Moderation();
        m.apply(Action.BAN, "Mallory", "KEY", "192.0.2.7", "spam", "henry", NOW, null);
        assertThat(m.banned("mallory", null, null, NOW)).isNotNull(); // nickname, case folded
        assertThat(m.banned("someone", "KEY", null, NOW)).isNotNull(); // same app
        assertThat(m.banned("someone", "OTHER", "192.0.2.7", NOW)).isNotNull(); // same machine
        assertThat(m.banned("someone", "OTHER", "192.0.2.8", NOW)).isNull();
        assertThat(Moderation.bannedSentence(m.banned("mallory", null, null, NOW)))
                .isEqualTo("You are banned from this room by henry: spam.");
        m.apply(Action.UNBAN, "mallory", null, null, "", "henry", NOW, null);
        assertThat(m.banned("mallory", "KEY", "192.0.2.7", NOW)).isNull();

        m.apply(Action.MUTE, "dave", "D", null, "", "bob", NOW, NOW.plusSeconds(600));
        assertThat(Moderation.mutedSentence(m.muted("dave", null, NOW), NOW))
                .isEqualTo("You are muted for 10 more minutes by bob.");
        assertThat(m.muted("dave", null, NOW.plusSeconds(601))).isNull();
        assertThat(m.expire(NOW.plusSeconds(601))).isTrue();
        assertThat(m.sanctions()).isEmpty();
    }

    @Test
    void moderatorsAreKnownByKeyNotNickname() {
        var m = new Moderation();
        m.apply(Action.MOD, "bob", "BOBKEY", null, "", "henry", NOW, null);
        assertThat(m.roleOf("BOBKEY", false)).isEqualTo(Role.MODERATOR);
        assertThat(m.roleOf(null, false)).as("someone else calling itself bob").isEqualTo(Role.MEMBER);
        assertThat(m.roleOf(null, true)).isEqualTo(Role.HOST);
        m.apply(Action.BAN, "bob", "BOBKEY", null, "", "henry", NOW, null);
        assertThat(m.roleOf("BOBKEY", false)).as("a ban takes moderation back").isEqualTo(Role.MEMBER);
    }

    @Test
    void theSavedFormReadsBackAndSurvivesDamage() {
        var m = new Moderation();
        m.apply(Action.MOD, "bob", "BOBKEY", null, "", "henry", NOW, null);
        m.apply(Action.BAN, "mallory", null, "192.0.2.7", Moderation.clean("spam\tand\nmore"), "henry", NOW, null);
        m.apply(Action.MUTE, "dave", "D", null, "", "bob", NOW, NOW.plusSeconds(60));
        var back = Moderation.decode(m.encode() + "garbage\tline\nban\tx\t-\t-\t\t\tnot-a-number\t0\n");
        assertThat(back.moderators()).containsEntry("BOBKEY", "bob");
        assertThat(back.sanctions()).containsExactlyElementsOf(m.sanctions());
        assertThat(back.sanctions().get(0).reason()).isEqualTo("spam and more");
        assertThat(Moderation.decode(null).sanctions()).isEmpty();
    }

    @Test
    void cleaningDropsControlAndBidiCharacters() {
        assertThat(Moderation.clean("  a\u202Eb\u0007c \n\n d  ")).isEqualTo("abc d");
        assertThat(Moderation.clean("👨\u200D👩\u200D👧")).isEqualTo("👨\u200D👩\u200D👧");
        assertThat(Moderation.clean("x".repeat(400))).hasSize(Moderation.MAX_REASON);
    }

    @Test
    void composerCommandsParse() {
        var kick = SlashCommands.moderation(
                SlashCommands.parse("/kick Ann Lee being rude").orElseThrow(), List.of("Ann Lee", "Ann"));
        assertThat(kick).isEqualTo(new SlashCommands.ModerationCall(Action.KICK, "Ann Lee", "being rude", 0));
        var mute = SlashCommands.moderation(
                SlashCommands.parse("/mute dave 15 cool down").orElseThrow(), List.of());
        assertThat(mute).isEqualTo(new SlashCommands.ModerationCall(Action.MUTE, "dave", "cool down", 15));
        assertThatThrownBy(() -> SlashCommands.moderation(
                        SlashCommands.parse("/mute dave soon").orElseThrow(), List.of()))
                .hasMessageStartingWith("Usage: /mute NICK MINUTES [REASON]");
        assertThatThrownBy(() ->
                        SlashCommands.moderation(SlashCommands.parse("/unban").orElseThrow(), List.of()))
                .hasMessage("Usage: /unban NICK");
        assertThat(SlashCommands.parse("//not a command")).isEmpty();
        assertThat(SlashCommands.parse("hello")).isEmpty();
        assertThat(SlashCommands.parse("/TOPIC  Lunch ").orElseThrow().rest()).isEqualTo("Lunch");
        assertThat(SlashCommands.parse("/frobnicate").orElseThrow().command()).isNull();
        assertThat(SlashCommands.unknown("kik", SlashCommands.desktop())).contains("Did you mean /kick?");
        assertThat(SlashCommands.desktop())
                .extracting(SlashCommands.Command::name)
                .doesNotContain("reply", "quit");
        assertThat(SlashCommands.action("/me waves")).isEqualTo("waves");
        assertThat(SlashCommands.action("/me ")).isNull();
        assertThat(SlashCommands.action("/meet")).isNull();
    }

    @Test
    void memberKeysDifferPerRoomAndHaveTheirForm() {
        var id = new MemberIdentity(new byte[32]);
        String a = id.keyFor("key:AAA");
        assertThat(a).isEqualTo(id.keyFor("key:AAA")).isNotEqualTo(id.keyFor("key:BBB"));
        assertThat(MemberIdentity.looksLikeKey(a)).isTrue();
        assertThat(MemberIdentity.looksLikeKey("short")).isFalse();
        assertThat(MemberIdentity.looksLikeKey("x".repeat(31) + "/")).isFalse();
    }
}
