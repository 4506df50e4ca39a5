package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import org.confab.net.auth.Scram;
import org.junit.jupiter.api.Test;

class ScramTest {
    private static final byte[] CERT = sha("the host certificate");

    private static byte[] sha(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rightPasswordAuthenticatesBothWaysAndNothingReplayableCrossesTheWire() throws Exception {
        var creds = Scram.Credentials.fromPassword("hunter2", 4096);
        var client = new Scram.Client("hunter2", CERT);
        var server = new Scram.Server(creds, CERT);
        String c1 = client.first();
        String s1 = server.first(c1);
        String c2 = client.finalMessage(s1);
        String s2 = server.verify(c2);
        client.verifyServerFinal(s2);
        for (String wire : new String[] {c1, s1, c2, s2}) {
            assertThat(wire).doesNotContain("hunter2");
        }
        // the same proof does not work for a fresh exchange (new server nonce)
        var server2 = new Scram.Server(creds, CERT);
        server2.first(c1);
        assertThatThrownBy(() -> server2.verify(c2)).isInstanceOf(Scram.AuthFailed.class);
    }

    @Test
    void wrongPasswordAndForeignCertificateFail() throws Exception {
        var creds = Scram.Credentials.fromPassword("right", 4096);
        var wrong = new Scram.Client("wrong", CERT);
        var server = new Scram.Server(creds, CERT);
        String s1 = server.first(wrong.first());
        assertThatThrownBy(() -> server.verify(wrong.finalMessage(s1))).hasMessageContaining("Wrong room password");

        var relayed = new Scram.Client("right", sha("a relay's certificate"));
        var server2 = new Scram.Server(creds, CERT);
        String t1 = server2.first(relayed.first());
        assertThatThrownBy(() -> server2.verify(relayed.finalMessage(t1))).hasMessageContaining("another certificate");
    }

    @Test
    void aHostThatDoesNotKnowThePasswordCannotFakeItsProof() throws Exception {
        var client = new Scram.Client("right", CERT);
        var impostor = new Scram.Server(Scram.Credentials.fromPassword("guess", 4096), CERT);
        String s1 = impostor.first(client.first());
        String c2 = client.finalMessage(s1);
        assertThatThrownBy(() -> impostor.verify(c2)).isInstanceOf(Scram.AuthFailed.class);
        assertThatThrownBy(() -> client.verifyServerFinal("v=AAAA")).hasMessageContaining("could not prove");
    }

    @Test
    void malformedMessagesAreRefused() {
        var server = new Scram.Server(Scram.Credentials.fromPassword("x", 4096), CERT);
        assertThatThrownBy(() -> server.first("n,,n=room,r=abc")).hasMessageContaining("channel binding");
        assertThatThrownBy(() -> server.first("p=tls-server-end-point,,garbage"))
                .isInstanceOf(Scram.AuthFailed.class);
        var client = new Scram.Client("x", CERT);
        client.first();
        assertThatThrownBy(() -> client.finalMessage("r=other,s=AAAA,i=4096")).isInstanceOf(Scram.AuthFailed.class);
    }
}
