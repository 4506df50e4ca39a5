package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InviteLinkTest {
    @Test
    void messageLinksCarryTheSeqAndStillOpenTheRoom() {
        var plain = new InviteLink("192.168.1.20", 4747);
        assertThat(plain.formatMessage(42)).isEqualTo("confab://192.168.1.20:4747/?msg=42");
        assertThat(InviteLink.messageOf(plain.formatMessage(42))).isEqualTo(42);
        assertThat(InviteLink.parse(plain.formatMessage(42))).isEqualTo(plain);
        var fp = Fingerprint.parse("A".repeat(43)).orElseThrow();
        var keyed = new InviteLink("[::1]", 4747).withFingerprint(fp);
        String link = keyed.formatMessage(7);
        assertThat(link).isEqualTo(keyed.format() + "&msg=7");
        assertThat(InviteLink.parse(link).format()).isEqualTo(keyed.format());
        assertThat(InviteLink.messageOf(link)).isEqualTo(7);
        assertThat(InviteLink.messageOf("confab://h:1/?msg=-3")).isZero();
        assertThat(InviteLink.messageOf("confab://h:1/?msg=x#y")).isZero();
        assertThat(InviteLink.messageOf("confab://h:1")).isZero();
    }

    @Test
    void parsesIpv4Link() {
        assertThat(InviteLink.parse("confab://192.168.1.20:4747")).isEqualTo(new InviteLink("192.168.1.20", 4747));
    }

    private static final Fingerprint FP = Fingerprint.ofCertificate(new byte[] {1, 2, 3});

    @Test
    void parsesHostNameSchemeCaseTrailingSlashAndIgnoresOtherQueryParameters() {
        assertThat(InviteLink.parse("  CONFAB://laptop.local:5000/?x=1  "))
                .isEqualTo(new InviteLink("laptop.local", 5000));
        assertThat(InviteLink.parse("confab://laptop.local:5000/")).isEqualTo(new InviteLink("laptop.local", 5000));
    }

    @Test
    void carriesTheRoomKey() {
        String link = "confab://192.168.1.20:4747/?fp=" + FP.base64url();
        var parsed = InviteLink.parse(link);
        assertThat(parsed).isEqualTo(new InviteLink("192.168.1.20", 4747, FP));
        assertThat(parsed.format()).isEqualTo(link);
        assertThat(InviteLink.parse("confab://[fd00::2]:4800?v=2&fp=" + FP.base64url() + "#x")
                        .fingerprint())
                .isEqualTo(FP);
        assertThat(InviteLink.parse(new InviteLink("::1", 1, FP).format())).isEqualTo(new InviteLink("::1", 1, FP));
        assertThat(InviteLink.parseAddress(link, -1).fingerprint()).isEqualTo(FP);
        assertThat(parsed.sameAddress(new InviteLink("192.168.1.20", 4747))).isTrue();
        assertThat(parsed.withFingerprint(null).format()).isEqualTo("confab://192.168.1.20:4747");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "confab://h:1/?fp=abc",
                "confab://h:1/?fp=",
                "confab://h:1/?fp=%%%",
                "confab://h:1/?fp=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            })
    void aDamagedKeyIsAClearErrorNotAnUnpinnedJoin(String bad) {
        assertThatThrownBy(() -> InviteLink.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room key")
                .hasMessageEndingWith(".");
    }

    @Test
    void twoKeysAreAnError() {
        assertThatThrownBy(() -> InviteLink.parse("confab://h:1/?fp=" + FP.base64url() + "&fp=" + FP.base64url()))
                .hasMessageContaining("twice");
    }

    @Test
    void parsesIpv6Link() {
        var link = InviteLink.parse("confab://[fd00::2]:4747");
        assertThat(link.host()).isEqualTo("fd00::2");
        assertThat(link.port()).isEqualTo(4747);
        assertThat(link.isIpv6()).isTrue();
    }

    @Test
    void formatRoundTrips() {
        for (var l : new InviteLink[] {
            new InviteLink("10.0.0.5", 1), new InviteLink("::1", 65535), new InviteLink("host", 4747)
        }) {
            assertThat(InviteLink.parse(l.format())).isEqualTo(l);
        }
        assertThat(new InviteLink("::1", 4747).format()).isEqualTo("confab://[::1]:4747");
        assertThat(new InviteLink("10.0.0.5", 4747).address()).isEqualTo("10.0.0.5:4747");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://x:1",
                "confab://",
                "confab://host",
                "confab://host:0",
                "confab://host:70000",
                "confab://host:abc",
                "confab://[::1:4747",
                "confab://:4747",
                "confab://a b:4747",
                "confab://[10.0.0.1]:4747"
            })
    void rejectsBadLinksWithASentence(String bad) {
        assertThatThrownBy(() -> InviteLink.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(".");
    }

    @Test
    void parsesTypedAddresses() {
        assertThat(InviteLink.parseAddress("10.0.0.5", 4747)).isEqualTo(new InviteLink("10.0.0.5", 4747));
        assertThat(InviteLink.parseAddress("10.0.0.5:4800", 4747)).isEqualTo(new InviteLink("10.0.0.5", 4800));
        assertThat(InviteLink.parseAddress("[fe80::1]:4800", 4747)).isEqualTo(new InviteLink("fe80::1", 4800));
        assertThat(InviteLink.parseAddress("[::1]", 4747)).isEqualTo(new InviteLink("::1", 4747));
        assertThat(InviteLink.parseAddress("fd00::2", 4747)).isEqualTo(new InviteLink("fd00::2", 4747));
        assertThat(InviteLink.parseAddress("confab://h:9", 4747)).isEqualTo(new InviteLink("h", 9));
    }

    @Test
    void negativeDefaultMakesThePortRequired() {
        assertThatThrownBy(() -> InviteLink.parseAddress("10.0.0.5", -1)).hasMessageContaining("no port");
        assertThatThrownBy(() -> InviteLink.parseAddress("", 4747)).hasMessageContaining("Enter the host");
        assertThatThrownBy(() -> InviteLink.parseAddress(":4747", 4747)).hasMessageContaining("before the port");
    }

    @Test
    void parsesPorts() {
        assertThat(InviteLink.parsePort(" 4747 ")).isEqualTo(4747);
        assertThatThrownBy(() -> InviteLink.parsePort("0")).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> InviteLink.parsePort("-1")).hasMessageContaining("number");
        assertThatThrownBy(() -> InviteLink.parsePort("999999")).hasMessageContaining("number");
        assertThatThrownBy(() -> InviteLink.parsePort("")).hasMessageContaining("Enter a port");
    }
}
