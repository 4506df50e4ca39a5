package org.confab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.confab.core.Fingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class HostPortTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "192.168.1.20:5555    | 192.168.1.20 | 5555",
                "192.168.1.20         | 192.168.1.20 | 4747",
                "localhost:1          | localhost    | 1",
                "my-box.lan:65535     | my-box.lan   | 65535",
                "[fd00::5]:5555       | fd00::5      | 5555",
                "[::1]                | ::1          | 4747",
                "fe80::1              | fe80::1      | 4747",
                "'  10.0.0.1:80  '    | 10.0.0.1     | 80",
                "confab://10.0.0.1:81 | 10.0.0.1     | 81",
                "confab://[::1]:82/   | ::1          | 82"
            })
    void parsesWhatPeopleType(String text, String host, int port) {
        assertThat(HostPort.parse(text, 4747)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                ":5555",
                "host:",
                "host:0",
                "host:65536",
                "host:-1",
                "host:12ab",
                "host:123456",
                "[::1",
                "[]:5",
                "[10.0.0.1]:5",
                "[::1]5",
                "[::1]:x"
            })
    void rejectsWithAReadableSentence(String text) {
        assertThatThrownBy(() -> HostPort.parse(text, 4747))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception")
                .message()
                .isNotBlank();
    }

    @Test
    void keepsTheKeyOfALink() {
        var fp = Fingerprint.ofCertificate(new byte[] {9});
        assertThat(HostPort.parse("confab://10.0.0.1:81/?fp=" + fp.base64url(), 4747))
                .isEqualTo(new HostPort("10.0.0.1", 81, fp.base64url()));
        assertThatThrownBy(() -> HostPort.parse("confab://10.0.0.1:81/?fp=nope", 4747))
                .hasMessageContaining("room key");
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(new HostPort("fd00::5", 4747)).hasToString("[fd00::5]:4747");
        assertThat(new HostPort("10.0.0.1", 80)).hasToString("10.0.0.1:80");
    }

    @Test
    void picocliConverterTurnsErrorsIntoUsageErrors() {
        var cmd = new CommandLine(new ConfabCommand());
        var err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("join", "host:99999", "--nick", "a");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("port must be a number between 1 and 65535");
    }
}
