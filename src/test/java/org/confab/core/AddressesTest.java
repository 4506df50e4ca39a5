package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void ipv6InItsShortForm() throws Exception {
        assertThat(Addresses.compress("fd00:0:0:0:0:0:0:2")).isEqualTo("fd00::2");
        assertThat(Addresses.compress("fe80:0:0:0:fc:ff:fe00:1%eth0")).isEqualTo("fe80::fc:ff:fe00:1");
        assertThat(Addresses.compress("2001:db8:1:0:1:0:0:1"))
                .as("the longest run, not the first")
                .isEqualTo("2001:db8:1:0:1::1");
        assertThat(Addresses.compress("2001:DB8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(Addresses.compress("2001:db8:0:1:1:1:1:1"))
                .as("a lone zero group stays")
                .isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Addresses.compress("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(Addresses.compress("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(Addresses.text(InetAddress.getByName("fd00:0:0:0:0:0:0:2"))).isEqualTo("fd00::2");
        assertThat(Addresses.text(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(Addresses.text(InetAddress.getByName("192.168.1.5"))).isEqualTo("192.168.1.5");
    }

    @Test
    void bracketsBeforeAPort() {
        assertThat(Addresses.hostPort("192.168.1.20", 4747)).isEqualTo("192.168.1.20:4747");
        assertThat(Addresses.hostPort("fd00::2", 4747)).isEqualTo("[fd00::2]:4747");
        assertThat(Addresses.hostPort("[fd00::2]", 4747)).isEqualTo("[fd00::2]:4747");
        assertThat(Addresses.hostPort("lab-pc.local", 1)).isEqualTo("lab-pc.local:1");
        assertThat(Addresses.bracketed("::1")).isEqualTo("[::1]");
    }
}
