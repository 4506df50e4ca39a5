package org.confab.ui.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The link rules browsers follow for international and look-alike host names. */
class SafeLinksTest {

    @Test
    void anAsciiHostIsShownAsItIsWithoutAWarning() {
        SafeLinks.Link l = SafeLinks.check("https://paypal.com/login").orElseThrow();
        assertThat(l.shown()).isEqualTo("https://paypal.com/login");
        assertThat(l.warning()).isFalse();
    }

    @Test
    void aPunycodeHostIsShownDecodedWithAWarningNamingTheRealHost() {
        // xn--80ak6aa92e.com is "аррӏе.com", all Cyrillic: it reads as apple.com
        SafeLinks.Link l = SafeLinks.check("https://xn--80ak6aa92e.com/login").orElseThrow();
        assertThat(l.shown()).isEqualTo("https://\u0430\u0440\u0440\u04CF\u0435.com/login");
        assertThat(l.warning()).isTrue();
        // (its Cyrillic name under the Latin .com also mixes alphabets, the stronger reason)
        assertThat(l.why()).contains("xn--80ak6aa92e.com");
        assertThat(l.uri().getHost()).as("the browser gets the ASCII host").isEqualTo("xn--80ak6aa92e.com");
    }

    @Test
    void aHostMixingLatinAndCyrillicIsWarnedAsALookAlike() {
        // "pаypal.com" with a Cyrillic а (U+0430), typed as such
        SafeLinks.Link l = SafeLinks.check("https://p\u0430ypal.com/").orElseThrow();
        assertThat(l.warning()).isTrue();
        assertThat(l.why()).contains("mixes alphabets");
        assertThat(l.uri().getHost()).startsWith("xn--");
        assertThat(l.shown()).contains("p\u0430ypal.com");
        // the same sent as punycode: decoded, and still named a look-alike
        SafeLinks.Link encoded =
                SafeLinks.check("https://" + l.uri().getHost() + "/").orElseThrow();
        assertThat(encoded.shown()).isEqualTo("https://p\u0430ypal.com/");
        assertThat(encoded.why()).contains("mixes alphabets");
    }

    @Test
    void anInternationalNameInOneScriptIsDecodedAndMarkedInternational() {
        // bücher.example: Latin with an umlaut, one alphabet
        SafeLinks.Link l = SafeLinks.check("https://xn--bcher-kva.example/").orElseThrow();
        assertThat(l.shown()).isEqualTo("https://b\u00FCcher.example/");
        assertThat(l.warning()).isTrue();
        assertThat(l.why()).contains("international characters");
    }

    @Test
    void mailtoHostsFollowTheSameRules() {
        SafeLinks.Link l = SafeLinks.check("mailto:bob@xn--80ak6aa92e.com").orElseThrow();
        assertThat(l.shown()).isEqualTo("mailto:bob@\u0430\u0440\u0440\u04CF\u0435.com");
        assertThat(l.warning()).isTrue();
        assertThat(SafeLinks.check("mailto:bob@example.com").orElseThrow().warning())
                .isFalse();
    }

    @Test
    void javascriptFileAndDataStayText() {
        assertThat(SafeLinks.check("javascript:alert(1)")).isEmpty();
        assertThat(SafeLinks.check("JavaScript:alert(1)")).isEmpty();
        assertThat(SafeLinks.check("file:///etc/passwd")).isEmpty();
        assertThat(SafeLinks.check("data:text/html,<b>x</b>")).isEmpty();
        assertThat(SafeLinks.check("https:///nohost")).isEmpty();
    }
}
