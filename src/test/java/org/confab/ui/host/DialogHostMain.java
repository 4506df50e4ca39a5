package org.confab.ui.host;

import java.io.IOException;
import org.confab.net.RoomConnectionListener;
import org.confab.ui.common.Settings;

/**
 * A room hosted the way the Host dialog hosts it, without a window (for HostDialogAnnouncingIT,
 * inside a network namespace): the dialog's form ({@link HostViewModel}) filled in and its announce
 * checkbox ticked or not, handed to {@link HostService} as the main window does, and started by the
 * Service's own request through {@link HostService#start}, the code the Service's task runs.
 * Prints the invite link and the note the dialog shows, then runs until standard input ends.
 *
 * <p>Arguments: {@code announce|quiet} (the checkbox), the room name, the nickname.
 */
public final class DialogHostMain {
    private DialogHostMain() {}

    public static void main(String[] args) throws Exception {
        HostViewModel form = new HostViewModel(Settings.inMemory());
        form.roomName().textProperty().set(args[1]);
        form.nick().textProperty().set(args[2]);
        form.port().textProperty().set("0");
        form.announceProperty().set(args[0].equals("announce"));
        if (!form.submit()) {
            throw new IllegalArgumentException("the form is not valid: " + String.join(" ", args));
        }
        HostService service = new HostService();
        RoomConnectionListener ignore = (event, cid) -> {};
        service.configure(form, null, ignore, false, LanAnnouncement.lan());
        HostService.Hosted hosted = HostService.start(service.request(), System.out::println, () -> false);
        System.out.println("Invite link: " + hosted.self().format());
        System.out.println("Dialog says: " + HostDialogView.announceNote(hosted));
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // runs until the test closes standard input
            }
        } catch (IOException e) {
            // ended
        }
        hosted.stop();
        System.out.println("Stopped");
        System.exit(0);
    }
}
