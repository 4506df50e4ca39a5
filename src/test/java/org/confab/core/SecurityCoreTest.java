package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecurityCoreTest {
    @Test
    void fingerprintFormsRoundTripAndTheSafetyCodeIsSixGroupsOfFive() {
        var fp = Fingerprint.ofCertificate("certificate bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(Fingerprint.parse(fp.base64url())).contains(fp);
        assertThat(Fingerprint.parse(fp.hex())).contains(fp);
        assertThat(Fingerprint.parse(fp.hex().toUpperCase())).contains(fp);
        assertThat(Fingerprint.parse(fp.hex().replaceAll("(..)(?!$)", "$1:"))).contains(fp);
        assertThat(fp.base64url()).hasSize(43);
        assertThat(fp.safetyCode()).matches("\\d{5}( \\d{5}){5}");
        var other = Fingerprint.ofCertificate("other bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(other.safetyCode()).isNotEqualTo(fp.safetyCode());
        assertThat(Fingerprint.parse("not a fingerprint")).isEmpty();
        assertThat(Fingerprint.parse("")).isEmpty();
    }

    @Test
    void lookAlikesShareASkeleton() {
        assertThat(Confusables.skeleton("\u0430lice")).isEqualTo(Confusables.skeleton("alice")); // Cyrillic а
        assertThat(Confusables.skeleton("AIice")).isEqualTo(Confusables.skeleton("Alice")); // capital I for l
        assertThat(Confusables.skeleton("Bill")).isEqualTo(Confusables.skeleton("BiII"));
        assertThat(Confusables.skeleton("rnary")).isEqualTo(Confusables.skeleton("mary"));
        assertThat(Confusables.skeleton("b0b")).isEqualTo(Confusables.skeleton("bob"));
        assertThat(Confusables.skeleton("alice")).isNotEqualTo(Confusables.skeleton("alicia"));
        assertThat(Confusables.mixesScripts("\u0430lice")).isTrue();
        assertThat(Confusables.mixesScripts("alice")).isFalse();
        assertThat(Confusables.mixesScripts("Алиса")).isFalse();
        assertThat(Confusables.mixesScripts("bob_42")).isFalse();
    }

    @Test
    void theRoomRefusesLookAlikesOnJoinAndRename() {
        var room = new Room("r");
        room.join("alice");
        var r = room.join("\u0430lice");
        assertThat(r.refusal()).isEqualTo(Room.JoinRefusal.NICK_TAKEN);
        assertThat(r.reason()).contains("looks the same as \"alice\"");
        room.join("bob");
        assertThat(room.rename("bob", "AIice").refusal()).contains("looks the same");
        assertThat(room.rename("alice", "Alice").event()).isNotNull(); // own look-alike is fine
        room.leave("Alice", "left");
        assertThat(room.join("\u0430lice").accepted()).isTrue(); // the name is free again
    }
}
