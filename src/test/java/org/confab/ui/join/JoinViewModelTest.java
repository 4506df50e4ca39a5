package org.confab.ui.join;

import static org.assertj.core.api.Assertions.assertThat;

import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.net.JoinException;
import org.confab.ui.common.Settings;
import org.junit.jupiter.api.Test;

/** Runs without the FX toolkit: view models only use javafx.base properties. */
class JoinViewModelTest {
    private final Settings settings = Settings.inMemory();
    private final JoinViewModel vm = new JoinViewModel(settings);

    @Test
    void freshFormIsInvalidButQuiet() {
        assertThat(vm.validProperty().get()).isFalse();
        assertThat(vm.host().shownProblemProperty().get()).isEmpty();
        assertThat(vm.port().text()).isEqualTo("4747");
        assertThat(vm.submit()).isFalse();
        assertThat(vm.host().shownProblemProperty().get()).contains("Enter the host");
        assertThat(vm.focusProperty().get()).isEqualTo(JoinViewModel.Focus.HOST);
    }

    @Test
    void aFreshInstallTakesTheNicknameFromTheUserNameAndThenTheOneUsed() {
        var fresh = new JoinViewModel(settings, "  carol\u202e  ");
        assertThat(fresh.nick().text()).isEqualTo("carol");
        fresh.host().textProperty().set("10.0.0.9");
        assertThat(fresh.submit()).as("nothing to type but the address").isTrue();
        assertThat(new JoinViewModel(Settings.inMemory(), "\u0000\u200b").nick().text())
                .isEqualTo("guest");
        assertThat(new JoinViewModel(Settings.inMemory())
                        .nick()
                        .problemProperty()
                        .get())
                .as("this machine's user name gives a valid nickname")
                .isEmpty();
        fresh.nick().textProperty().set("caz");
        fresh.remember();
        assertThat(new JoinViewModel(settings, "carol").nick().text()).isEqualTo("caz");
    }

    @Test
    void hostAndPortFields() {
        vm.host().textProperty().set("192.168.1.20");
        vm.port().textProperty().set("5000");
        vm.nick().textProperty().set("bob");
        assertThat(vm.submit()).isTrue();
        assertThat(vm.target()).isEqualTo(new InviteLink("192.168.1.20", 5000));
    }

    @Test
    void hostPortPastedIntoHostFieldWinsAndIsSplitOnNormalize() {
        vm.host().textProperty().set("10.0.0.5:4800");
        vm.port().textProperty().set("not a port");
        vm.nick().textProperty().set("bob");
        assertThat(vm.port().problemProperty().get()).isEmpty();
        assertThat(vm.target()).isEqualTo(new InviteLink("10.0.0.5", 4800));
        vm.normalize();
        assertThat(vm.host().text()).isEqualTo("10.0.0.5");
        assertThat(vm.port().text()).isEqualTo("4800");
    }

    @Test
    void bracketedIpv6WithPortAndInviteLinks() {
        vm.host().textProperty().set("[fd00::2]:4900");
        assertThat(vm.target()).isEqualTo(new InviteLink("fd00::2", 4900));
        vm.normalize();
        assertThat(vm.host().text()).isEqualTo("[fd00::2]");
        assertThat(vm.port().text()).isEqualTo("4900");
        vm.host().textProperty().set("confab://laptop:4801");
        assertThat(vm.target()).isEqualTo(new InviteLink("laptop", 4801));
        vm.host().textProperty().set("fd00::7");
        vm.port().textProperty().set("4747");
        assertThat(vm.target()).isEqualTo(new InviteLink("fd00::7", 4747));
    }

    @Test
    void badPortAndNickAreReported() {
        vm.host().textProperty().set("h");
        vm.port().textProperty().set("70000");
        vm.nick().textProperty().set(" bob");
        assertThat(vm.submit()).isFalse();
        assertThat(vm.port().shownProblemProperty().get()).contains("65535");
        assertThat(vm.nick().shownProblemProperty().get()).contains("spaces");
    }

    @Test
    void nickTakenSuggestsAnotherAndFocusesIt() {
        vm.host().textProperty().set("h");
        vm.nick().textProperty().set("alice");
        vm.failed(JoinException.Reason.NICK_TAKEN, "The nickname \"alice\" is already taken in this room.");
        assertThat(vm.nick().text()).isEqualTo("alice2");
        assertThat(vm.focusProperty().get()).isEqualTo(JoinViewModel.Focus.NICK);
        assertThat(vm.errorProperty().get()).contains("already taken");
        assertThat(vm.nick().shownProblemProperty().get()).contains("alice2");
        vm.nick().textProperty().set("alice3");
        assertThat(vm.nick().shownProblemProperty().get()).isEmpty();
        assertThat(vm.errorProperty().get()).isEmpty();
    }

    @Test
    void refusedPointsAtThePort() {
        vm.failed(JoinException.Reason.REFUSED, "Nobody is hosting at h:1 (connection refused).");
        assertThat(vm.errorProperty().get()).contains("refused");
        assertThat(vm.focusProperty().get()).isEqualTo(JoinViewModel.Focus.PORT);
    }

    @Test
    void suggestions() {
        assertThat(JoinViewModel.suggestNick("alice")).isEqualTo("alice2");
        assertThat(JoinViewModel.suggestNick("alice2")).isEqualTo("alice3");
        assertThat(JoinViewModel.suggestNick("r2d2")).isEqualTo("r2d3");
        assertThat(JoinViewModel.suggestNick("007")).isEqualTo("007_2");
        assertThat(JoinViewModel.suggestNick("x".repeat(32))).hasSize(32).endsWith("2");
    }

    @Test
    void remembersLastValues() {
        vm.host().textProperty().set("10.0.0.5:4800");
        vm.nick().textProperty().set("bob");
        vm.remember();
        var again = new JoinViewModel(settings);
        assertThat(again.host().text()).isEqualTo("10.0.0.5");
        assertThat(again.port().text()).isEqualTo("4800");
        assertThat(again.nick().text()).isEqualTo("bob");
    }

    private static final Fingerprint FP = Fingerprint.ofCertificate(new byte[] {7});

    @Test
    void anInviteLinkPinsItsKeyForThatAddressOnly() {
        vm.prefill(new InviteLink("10.0.0.5", 4800, FP));
        assertThat(vm.target()).isEqualTo(new InviteLink("10.0.0.5", 4800, FP));
        vm.port().textProperty().set("4801");
        assertThat(vm.target().fingerprint())
                .as("another address: not the link's key")
                .isNull();
        vm.port().textProperty().set("4800");
        assertThat(vm.target().fingerprint()).isEqualTo(FP);
    }

    @Test
    void aPastedLinkKeepsItsKeyAfterBeingSplit() {
        vm.host().textProperty().set("confab://[fd00::2]:4900/?fp=" + FP.base64url());
        assertThat(vm.target()).isEqualTo(new InviteLink("fd00::2", 4900, FP));
        vm.normalize();
        assertThat(vm.host().text()).isEqualTo("[fd00::2]");
        assertThat(vm.target()).isEqualTo(new InviteLink("fd00::2", 4900, FP));
    }

    @Test
    void aPastedMultiAddressLinkKeepsEveryAddressAfterBeingSplit_andAPrefilledOneToo() {
        String link = "confab://192.168.1.20:4747/?fp=" + FP.base64url() + "&alt=10.0.0.5:4747,[fd00::5]:4747";
        var expected = InviteLink.parse(link);
        assertThat(expected.candidates()).hasSize(3);
        vm.host().textProperty().set(link);
        assertThat(vm.target()).isEqualTo(expected);
        vm.normalize();
        assertThat(vm.host().text()).isEqualTo("192.168.1.20");
        assertThat(vm.target()).isEqualTo(expected);
        vm.host().textProperty().set("192.168.1.21"); // another address typed: not the link's room
        assertThat(vm.target().alternates()).isEmpty();

        var other = new JoinViewModel(Settings.inMemory());
        other.prefill(expected.withFingerprint(null));
        assertThat(other.target()).isEqualTo(expected.withFingerprint(null));
        other.pin(FP); // the safety code confirmed: still every address
        assertThat(other.target()).isEqualTo(expected);
    }

    @Test
    void aDamagedKeyInAPastedLinkIsAFieldProblem() {
        vm.host().textProperty().set("confab://10.0.0.5:4800/?fp=abc");
        assertThat(vm.host().problemProperty().get()).contains("room key");
    }

    @Test
    void trustingASafetyCodePinsIt() {
        vm.host().textProperty().set("10.0.0.5");
        vm.pin(FP);
        assertThat(vm.target()).isEqualTo(new InviteLink("10.0.0.5", 4747, FP));
    }

    @Test
    void passwordAppearsWhenTheRoomAsksAndErrorsStayWithIt() {
        vm.passwordProperty().set("typed early");
        assertThat(vm.passwordShownProperty().get()).isFalse();
        assertThat(vm.passwordValue()).as("not sent before the room asks").isNull();
        vm.failed(JoinException.Reason.PASSWORD_REQUIRED, "This room needs a password.");
        assertThat(vm.passwordShownProperty().get()).isTrue();
        assertThat(vm.focusProperty().get()).isEqualTo(JoinViewModel.Focus.PASSWORD);
        assertThat(vm.errorProperty().get()).isEmpty();
        vm.passwordProperty().set("secret");
        assertThat(vm.passwordValue()).isEqualTo("secret");
        vm.failed(JoinException.Reason.BAD_PASSWORD, "authentication failed");
        assertThat(vm.passwordErrorProperty().get()).startsWith("Wrong password");
        vm.passwordProperty().set("secret2");
        assertThat(vm.passwordErrorProperty().get()).as("cleared on edit").isEmpty();
        vm.failed(JoinException.Reason.THROTTLED, "Too many wrong passwords from your address. Try again in 4 s.");
        assertThat(vm.passwordErrorProperty().get()).contains("Try again in 4 s");
        vm.host().textProperty().set("10.0.0.5");
        vm.remember();
        assertThat(settings.get("password", "")).isEmpty();
        assertThat(settings.get("join.password", "")).isEmpty();
    }

    @Test
    void refusedKeysAndPlainHostsAreExplained() {
        vm.keyNotTrusted(false);
        assertThat(vm.errorProperty().get()).contains("did not trust");
        vm.keyNotTrusted(true);
        assertThat(vm.errorProperty().get()).contains("key has changed");
        vm.failed(JoinException.Reason.NOT_ENCRYPTED, "x");
        assertThat(vm.errorProperty().get()).contains("did not answer with encryption");
        vm.failed(JoinException.Reason.KEY_MISMATCH, "The room at h:1 did not show the key your invite link names.");
        assertThat(vm.errorProperty().get()).contains("invite link");
    }
}
