package org.confab.ui.room;

import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollToEvent;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/**
 * Where the message list is scrolled to. Follows the newest row while the person is at the
 * bottom (one jump per layout pulse, however many batches came); once they scroll up, new rows
 * only count on the floating "N new messages" button and the row they read stays in view when
 * the oldest rows leave the list. Offers "Show earlier messages" at the top. Tells the view model
 * whether the person follows (it bounds the list more tightly then).
 *
 * <p>Only the person's scrolling ends following: a layout that moved the newest row off the
 * bottom (rows trimmed above, heights measured anew, the window resized) follows again.
 */
final class MessageScroller {
    private final RoomViewModel vm;
    private final ListView<ChatItem> list;
    private final Button jumpButton;
    private final Button earlierButton;
    private boolean stickToBottom = true;
    /** Our own row appears at the bottom with the next change: show it even if scrolled up. */
    private boolean scrollOnNextChange;
    /** Follow the bottom in the next pulse, before its layout (once, however many changes came). */
    private boolean followPending;
    /** The person scrolled, clicked or pressed a key in the list since the last layout pulse. */
    private boolean personScrolled;
    /** Pulses left to settle a jump to the bottom (variable heights: the first lands on estimates). */
    private int scrollTries;
    /** What {@link #scrollTries} starts at: below it, the first jump by index did not land. */
    private static final int FIRST_TRIES = 6;
    /** True while this view itself scrolls the list (not the person). */
    private boolean selfScroll;

    private int unseen;
    private final Runnable afterLayout = this::afterLayout;
    private final Runnable beforeLayout = this::beforeLayout;

    MessageScroller(RoomViewModel vm, ListView<ChatItem> list, Button jumpButton, Button earlierButton) {
        this.vm = vm;
        this.list = list;
        this.jumpButton = jumpButton;
        this.earlierButton = earlierButton;
        vm.messages().addListener((ListChangeListener<ChatItem>) this::changed);
        vm.earlierAvailableProperty().addListener((o, was, now) -> updateEarlierButton());
        // the person scrolls (wheel, scroll bar, keys, a jump to a search hit): a jump to the bottom
        // still settling must not pull the list back down
        list.addEventFilter(ScrollEvent.SCROLL, e -> personScrolls());
        list.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> personScrolls());
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> personScrolls());
        list.addEventHandler(ScrollToEvent.scrollToTopIndex(), e -> {
            if (!selfScroll) {
                personScrolls();
            }
        });
        // rows there before the view (a room opened from its cache): start at the newest, not the oldest
        if (!vm.messages().isEmpty()) {
            scrollToBottom();
        }
    }

    /** Checks the position around every layout pulse of the scene {@code view} is shown in. */
    void attach(Node view) {
        view.sceneProperty().addListener((o, was, now) -> {
            if (was != null) {
                was.removePostLayoutPulseListener(afterLayout);
                was.removePreLayoutPulseListener(beforeLayout);
            }
            if (now != null) {
                now.addPreLayoutPulseListener(beforeLayout);
                now.addPostLayoutPulseListener(afterLayout);
            }
        });
    }

    private void changed(ListChangeListener.Change<? extends ChatItem> c) {
        int added = 0;
        int removedAtTop = 0;
        while (c.next()) {
            if (c.wasReplaced()) {
                continue; // a row changed (a delivery mark, the top day divider): nothing new
            }
            if (c.wasAdded() && (c.getFrom() > 0 || c.getTo() == c.getList().size())) {
                added += c.getAddedSize(); // new rows at the end (rows loaded above are not new)
            }
            if (c.wasRemoved() && c.getFrom() == 0) {
                removedAtTop += c.getRemovedSize(); // the list's bound: the oldest rows left
            }
        }
        if (removedAtTop > 0 && !stickToBottom && !scrollOnNextChange) {
            keepReadingPosition(removedAtTop);
        }
        if (added == 0) {
            return;
        }
        if (stickToBottom || scrollOnNextChange) {
            scrollOnNextChange = false;
            scrollToBottom();
        } else {
            unseen += added;
            jumpButton.setText(unseen == 1 ? "1 new message" : unseen + " new messages");
            jumpButton.setVisible(true);
        }
    }

    /** The person is about to send: their own row appears at the bottom, show it. */
    void sending() {
        scrollOnNextChange = true;
    }

    /** The send did not happen after all (nothing was queued). */
    void notSent() {
        scrollOnNextChange = false;
    }

    /** A message was queued: if the person was reading further up, take them down to it. */
    void sent() {
        if (!stickToBottom) {
            scrollToBottom();
        }
    }

    /** The floating button: down to the newest row. */
    void jumpToBottom() {
        scrollToBottom();
        unseen = 0;
        jumpButton.setVisible(false);
    }

    /** Shows row {@code index} (a search hit) a little below the top, selected; stops following. */
    void reveal(int index) {
        readFrom(index - 2); // the list keeps the rows around the hit while the person reads there
        list.getSelectionModel().clearAndSelect(index);
    }

    /**
     * Shows row {@code index} (the "New since" marker) near the top, where reading continues; the
     * list follows the bottom again once the person is back there.
     */
    void showAt(int index) {
        readFrom(index - 1);
    }

    /** Stops following the bottom (and any jump still settling) and scrolls row {@code top} to the top. */
    private void readFrom(int top) {
        stickToBottom = false;
        scrollTries = 0;
        followPending = false;
        vm.following(false);
        list.scrollTo(Math.max(0, top));
    }

    /** "Show earlier messages": loads a page above the top row, which stays in view below it. */
    void showEarlier() {
        stickToBottom = false;
        vm.following(false);
        int before = vm.messages().size();
        vm.loadEarlier(Platform::runLater)
                .whenComplete((added, error) -> Platform.runLater(() -> {
                    if (error == null && added != null && added > 0) {
                        list.scrollTo(Math.max(0, vm.messages().size() - before - 1));
                    }
                    updateEarlierButton();
                }));
    }

    /** The person moves the list: a jump still settling stops, and only this may end following the bottom. */
    private void personScrolls() {
        scrollTries = 0;
        followPending = false;
        personScrolled = true;
    }

    /** The oldest rows left the list while the person reads further up: keep the row they look at. */
    private void keepReadingPosition(int removed) {
        if (flow() instanceof VirtualFlow<?> flow && flow.getFirstVisibleCell() != null) {
            int first = flow.getFirstVisibleCell().getIndex();
            list.scrollTo(Math.max(0, first - removed));
        }
    }

    /** "Show earlier messages": at the top of the list when older rows can be loaded. */
    private void updateEarlierButton() {
        boolean shown = vm.earlierAvailableProperty().get() && atTop();
        if (earlierButton.isVisible() != shown) {
            earlierButton.setVisible(shown);
            earlierButton.setManaged(shown);
        }
    }

    private boolean atTop() {
        if (list.getItems().isEmpty() || !(flow() instanceof VirtualFlow<?> flow)) {
            return false;
        }
        IndexedCell<?> first = flow.getFirstVisibleCell();
        return first != null && first.getIndex() == 0 && first.getLayoutY() >= -8;
    }

    /** Before every layout pulse: one jump to the newest row, however many batches came since the last. */
    private void beforeLayout() {
        if (followPending) {
            followPending = false;
            int n = list.getItems().size();
            if (n > 0) {
                selfScroll = true;
                try {
                    list.scrollTo(n - 1);
                    if (scrollTries < FIRST_TRIES && flow() instanceof VirtualFlow<?> flow) {
                        // the jump by index did not land: with tall rows whose estimated heights are off,
                        // scrolling the last row "to the top" can leave it below the viewport for good
                        // (JavaFX clamps the position on the estimates). The end of the flow is the bottom
                        // whatever the heights are
                        flow.setPosition(1.0);
                    }
                } finally {
                    selfScroll = false;
                }
            }
        }
    }

    /** After every layout pulse: are we at the bottom now? */
    private void afterLayout() {
        if (scrollTries > 0) {
            // variable-height cells: the jump lands on estimated heights; repeat it with the real
            // ones (by index: never pixel scrolling, which measures every row it passes)
            if (atBottom()) {
                scrollTries = 0;
                // one more look in the next pulse: rows measured or trimmed in this one may still
                // move the newest row (the normal check then follows again)
                Platform.requestNextPulse();
            } else {
                scrollTries--;
                int last = list.getItems().size() - 1;
                if (flow() instanceof VirtualFlow<?> flow
                        && flow.getLastVisibleCell() != null
                        && flow.getLastVisibleCell().getIndex() == last) {
                    // the newest row in view but cut off: scroll by the few pixels missing (measures
                    // that row only)
                    scrollIntoView(flow, flow.getLastVisibleCell());
                } else {
                    // not in view: jump to it by index, before the next layout (VirtualFlow.scrollTo(int)
                    // from here can leave the flow without cells until something else scrolls it)
                    followPending = true;
                }
                Platform.requestNextPulse();
            }
            stickToBottom = true;
            vm.following(true);
            return;
        }
        boolean bottom = atBottom();
        if (!bottom && stickToBottom && !personScrolled) {
            // the layout moved the newest row off the bottom, not the person: keep following
            scrollToBottom();
            return;
        }
        personScrolled = false;
        if (bottom != stickToBottom) {
            stickToBottom = bottom;
            vm.following(bottom);
        }
        if (bottom && jumpButton.isVisible()) {
            unseen = 0;
            jumpButton.setVisible(false);
        }
        updateEarlierButton();
    }

    @SuppressWarnings("unchecked")
    private static <C extends IndexedCell<?>> void scrollIntoView(VirtualFlow<?> flow, IndexedCell<?> cell) {
        ((VirtualFlow<C>) flow).scrollTo((C) cell);
    }

    private Node flow() {
        return list.lookup(".virtual-flow");
    }

    private boolean atBottom() {
        int n = list.getItems().size();
        if (n == 0 || !(flow() instanceof VirtualFlow<?> flow)) {
            return true;
        }
        IndexedCell<?> last = flow.getLastVisibleCell();
        if (last == null) {
            // rows but no cells: a jump left the flow empty (it lays out again only when scrolled);
            // at the bottom only if there is no room to show anything
            return flow.getHeight() <= 0;
        }
        return last.getIndex() >= n - 1 && last.getLayoutY() + last.getHeight() <= flow.getHeight() + 8;
    }

    /** Follows the bottom: the jump happens once, before the next layout (see {@link #beforeLayout}). */
    private void scrollToBottom() {
        if (!list.getItems().isEmpty()) {
            followPending = true;
            scrollTries = FIRST_TRIES;
            Platform.requestNextPulse();
        }
        stickToBottom = true;
        vm.following(true);
    }
}
