package org.confab.ui.common;

import javafx.animation.PauseTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import org.confab.core.InviteLink;
import org.kordamp.ikonli.javafx.FontIcon;

/** A row with an address to give others and a Copy button (the host dialog, the room's sidebar). */
public final class AddressRow {
    private AddressRow() {}

    /** One address to give others; its Copy button copies the whole invite link (with the room's key). */
    public static HBox of(InviteLink link, String detail, int index, TextClipboard clipboard) {
        String address = link.address();
        String invite = link.format();
        Label addr = new Label(address);
        addr.getStyleClass().add("address-text");
        Label iface = new Label(detail);
        iface.getStyleClass().add("address-detail");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        FontIcon icon = new FontIcon("fth-copy");
        Button copy = new Button("Copy", icon);
        copy.setId("copy-" + index);
        copy.getStyleClass().addAll("small", "copy-button");
        copy.setTooltip(new Tooltip("Copy the invite link " + invite));
        copy.setAccessibleText("Copy the invite link for " + address);
        copy.setOnAction(e -> {
            clipboard.copy(invite);
            copy.setText("Copied");
            icon.setIconLiteral("fth-check");
            PauseTransition back = new PauseTransition(Duration.seconds(1.6));
            back.setOnFinished(x -> {
                copy.setText("Copy");
                icon.setIconLiteral("fth-copy");
            });
            back.play();
        });
        HBox row = new HBox(10, addr, iface, spacer, copy);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("address-row");
        return row;
    }
}
