package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    // ---------------------------------------------------------------- several addresses (alt=)

    private static InviteLink.Candidate at(String host, int port) {
        return new InviteLink.Candidate(host, port);
    }

    @Test
    void aLinkWithSeveralAddressesRoundTripsAndKeepsTheFirstInTheAuthority() throws Exception {
        var link = InviteLink.of(
                List.of(at("192.168.1.20", 4747), at("10.0.0.5", 4747), at("fd00::5", 4800), at("100.101.7.9", 4747)),
                FP);
        String text = link.format();
        assertThat(text)
                .isEqualTo("confab://192.168.1.20:4747/?fp=" + FP.base64url()
                        + "&alt=10.0.0.5:4747,[fd00::5]:4800,100.101.7.9:4747");
        InviteLink back = InviteLink.parse(text);
        assertThat(back).isEqualTo(link);
        assertThat(back.candidates())
                .containsExactly(
                        at("192.168.1.20", 4747), at("10.0.0.5", 4747), at("fd00::5", 4800), at("100.101.7.9", 4747));
        // what an older Confab reads of it (the authority, the key): the first address, pinned
        assertThat(new URI(text).getHost()).isEqualTo("192.168.1.20");
        assertThat(back.withAlternates(List.of())).isEqualTo(new InviteLink("192.168.1.20", 4747, FP));
        // without a key, and as a link to a message
        var bare = link.withFingerprint(null);
        assertThat(bare.format())
                .isEqualTo("confab://192.168.1.20:4747/?alt=10.0.0.5:4747,[fd00::5]:4800,100.101.7.9:4747");
        assertThat(InviteLink.parse(bare.format())).isEqualTo(bare);
        assertThat(InviteLink.parse(bare.formatMessage(5))).isEqualTo(bare);
        assertThat(InviteLink.messageOf(link.formatMessage(5))).isEqualTo(5);
    }

    @Test
    void oldSingleAddressLinksParseAsBefore() {
        var old = InviteLink.parse("confab://192.168.1.20:4747/?fp=" + FP.base64url());
        assertThat(old.alternates()).isEmpty();
        assertThat(old.candidates()).containsExactly(at("192.168.1.20", 4747));
        assertThat(InviteLink.parse("confab://[fd00::2]:4747").candidates()).containsExactly(at("fd00::2", 4747));
        assertThat(old.format()).doesNotContain("alt=");
    }

    @Test
    void alternatesMayOmitThePortBeEscapedOrNameAHost_andDuplicatesGo() {
        var link = InviteLink.parse(
                "confab://10.0.0.1:4747/?alt=10.0.0.2,%5Bfd00%3A%3A5%5D%3A4800%2Cmy-laptop.tail1234.ts.net:9,10.0.0.1:4747,10.0.0.2:4747");
        assertThat(link.candidates())
                .containsExactly(
                        at("10.0.0.1", 4747),
                        at("10.0.0.2", 4747),
                        at("fd00::5", 4800),
                        at("my-laptop.tail1234.ts.net", 9));
    }

    @Test
    void aHostWithManyInterfacesGivesOutAtMostEight() {
        List<InviteLink.Candidate> many = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            many.add(at("10.0.0." + i, 4747));
        }
        var link = InviteLink.of(many, FP);
        assertThat(link.candidates()).hasSize(InviteLink.MAX_CANDIDATES).startsWith(at("10.0.0.1", 4747));
        assertThat(InviteLink.parse(link.format())).isEqualTo(link);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "confab://h:1/?alt=",
                "confab://h:1/?alt=,",
                "confab://h:1/?alt=10.0.0.1:0",
                "confab://h:1/?alt=10.0.0.1:70000",
                "confab://h:1/?alt=10.0.0.1:-5",
                "confab://h:1/?alt=10.0.0.1:abc",
                "confab://h:1/?alt=999.1.1.1:5",
                "confab://h:1/?alt=[fe80::1%25eth0]:5",
                "confab://h:1/?alt=[nothex::1]:5",
                "confab://h:1/?alt=a_b:5",
                "confab://h:1/?alt=-bad-.example:5",
                "confab://h:1/?alt=%E2%80%AEevil:5",
                "confab://h:1/?alt=%zz",
                "confab://h:1/?alt=confab://x:5",
                "confab://h:1/?alt=a@b:5",
                "confab://h:1/?alt=x:1&alt=y:2",
                "confab://h:1/?alt=a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8"
            })
    void hostileOrDamagedAddressListsAreAClearError(String bad) {
        assertThatThrownBy(() -> InviteLink.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(".")
                .hasMessageContaining("link");
    }

    @Test
    void tooManyAddressesAndHugeLinksSaySo() {
        assertThatThrownBy(() -> InviteLink.parse("confab://h:1/?alt=a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8"))
                .hasMessageContaining("names 9 addresses")
                .hasMessageContaining("at most 8");
        String huge = "confab://h:1/?alt=" + "1.2.3.4:5,".repeat(100_000);
        assertThatThrownBy(() -> InviteLink.parse(huge)).hasMessageContaining("at most 2048");
        assertThatThrownBy(() -> new InviteLink("h", 1, null, Collections.nCopies(8, at("x", 1))))
                .hasMessageContaining("at most 8");
    }
}
