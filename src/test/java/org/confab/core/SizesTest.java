package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void readsSizesAsPeopleTypeThem() {
        assertThat(Sizes.parse("1024")).isEqualTo(1024);
        assertThat(Sizes.parse("500K")).isEqualTo(500L * 1024);
        assertThat(Sizes.parse("500M")).isEqualTo(500L << 20);
        assertThat(Sizes.parse("500MB")).isEqualTo(500L << 20);
        assertThat(Sizes.parse("4g")).isEqualTo(4L << 30);
        assertThat(Sizes.parse("4GiB")).isEqualTo(4L << 30);
        assertThat(Sizes.parse("1.5T")).isEqualTo(3L << 39);
        assertThat(Sizes.parse(" 0 ")).isZero();
    }

    @Test
    void refusesWhatIsNoSize() {
        for (String bad : new String[] {"", "lots", "-1", "4X", "1.2.3G", "99999999999T"}) {
            assertThatThrownBy(() -> Sizes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Sizes.parse("4X")).hasMessageContaining("500M or 4G");
    }

    @Test
    void showsASettingInTheUnitsItIsSetIn() {
        assertThat(Sizes.text(4L << 30)).isEqualTo("4 GiB");
        assertThat(Sizes.text(500L << 20)).isEqualTo("500 MiB");
        assertThat(Sizes.text(1024)).isEqualTo("1 KiB");
        assertThat(Sizes.text(1500)).isEqualTo("1.5 KB");
        assertThat(Sizes.parse(Sizes.text(20L << 30))).isEqualTo(20L << 30);
    }
}
