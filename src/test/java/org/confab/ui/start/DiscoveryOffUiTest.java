package org.confab.ui.start;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.confab.net.discovery.Discovery;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The real source with discovery off (as every test runs): the start screen says so and browses nothing. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class DiscoveryOffUiTest {
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> window.stage().close());
    }

    @Test
    void saysDiscoveryIsOff() {
        assertThat(Discovery.allowed())
                .as("the build turns discovery off for tests")
                .isFalse();
        Fx.await(
                "the off state",
                10,
                () -> ((Label) window.stage().getScene().lookup("#networkEmptyTitle"))
                        .getText()
                        .equals("Not looking for rooms on this network"));
        assertThat(Fx.call(() -> ((Label) window.stage().getScene().lookup("#networkEmptyText")).getText()))
                .contains("LAN discovery is turned off")
                .contains("Join by address or invite link");
        assertThat(Fx.call(() -> window.startView().network().isBrowsing())).isFalse();
    }
}
