package org.confab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands a composer line may start with, one table for the desktop composer (its
 * completion and {@code /help}) and the terminal client: what each is called, what it takes and
 * what it does. A line that starts with {@code //} is a message beginning with {@code /}.
 */
public final class SlashCommands {
    /** Where a command makes sense. */
    public enum Where {
        BOTH,
        /** Only the terminal client (the desktop has a menu or a gesture for it). */
        TERMINAL
    }

    /** One command: {@code /name}, its arguments as usage shows them, a sentence, where. */
    public record Command(String name, String args, String help, Where where) {
        /** "/kick NICK [REASON]". */
        public String usage() {
            return args.isEmpty() ? "/" + name : "/" + name + " " + args;
        }

        public boolean onDesktop() {
            return where == Where.BOTH;
        }
    }

    /** A parsed line: the command (null when unknown) and what follows its name, stripped. */
    public record Parsed(String name, Command command, String rest) {
        /** The words of {@link #rest}: at most {@code limit}, the last keeping the remainder. */
        public String[] words(int limit) {
            return rest.isEmpty() ? new String[0] : rest.split("\\s+", limit);
        }
    }

    private static final List<Command> ALL = List.of(
            new Command("me", "ACTION", "Says what you do: \"/me waves\" shows as \"* you waves\".", Where.BOTH),
            new Command(
                    "msg", "NICK TEXT", "Sends a direct message only NICK (and the room's host) can read.", Where.BOTH),
            new Command("nick", "NEW", "Changes your nickname.", Where.BOTH),
            new Command("away", "[MESSAGE]", "Marks you away, with an optional message.", Where.BOTH),
            new Command("dnd", "[MESSAGE]", "Do not disturb: no notifications; others see you are busy.", Where.BOTH),
            new Command("back", "", "Marks you online again.", Where.BOTH),
            new Command(
                    "topic",
                    "[TEXT]",
                    "Sets the room's topic (host and moderators); without text, clears it.",
                    Where.BOTH),
            new Command(
                    "kick",
                    "NICK [REASON]",
                    "Removes NICK from the room; they may come back (moderators).",
                    Where.BOTH),
            new Command(
                    "ban",
                    "NICK [REASON]",
                    "Removes NICK and keeps them out: their nickname, key and address (moderators).",
                    Where.BOTH),
            new Command("unban", "NICK", "Lets a banned member in again (moderators).", Where.BOTH),
            new Command(
                    "mute",
                    "NICK MINUTES [REASON]",
                    "NICK can read but not write for a while (moderators).",
                    Where.BOTH),
            new Command("unmute", "NICK", "Lets a muted member write again (moderators).", Where.BOTH),
            new Command("mod", "NICK", "Makes NICK a moderator (the host).", Where.BOTH),
            new Command("unmod", "NICK", "Takes moderation back from NICK (the host).", Where.BOTH),
            new Command("reply", "SEQ TEXT", "Answers message SEQ (its number, as --show-seq shows).", Where.TERMINAL),
            new Command("edit", "SEQ TEXT", "Changes your message SEQ.", Where.TERMINAL),
            new Command("delete", "SEQ", "Deletes message SEQ (yours; any for moderators).", Where.TERMINAL),
            new Command("react", "SEQ EMOJI", "Reacts to message SEQ.", Where.TERMINAL),
            new Command("unreact", "SEQ EMOJI", "Takes your reaction back.", Where.TERMINAL),
            new Command("send", "PATH [CAPTION]", "Shares a file (put a PATH with spaces in quotes).", Where.TERMINAL),
            new Command(
                    "get", "N", "Downloads file N (the number its message shows) to --download-dir.", Where.TERMINAL),
            new Command("files", "", "Lists the transfers going on.", Where.TERMINAL),
            new Command("who", "", "Lists the room's members (a big room's list loads first).", Where.TERMINAL),
            new Command("cancel", "N", "Stops transfer N (a download continues later with /get N).", Where.TERMINAL),
            new Command("help", "[COMMAND]", "Lists the commands, or says what one does.", Where.BOTH),
            new Command("quit", "", "Leaves the room.", Where.TERMINAL));

    private SlashCommands() {}

    /** Every command, in the order {@code /help} lists them. */
    public static List<Command> all() {
        return ALL;
    }

    /** The commands the desktop composer offers. */
    public static List<Command> desktop() {
        return ALL.stream().filter(Command::onDesktop).toList();
    }

    public static Optional<Command> find(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        String key = n.toLowerCase(Locale.ROOT);
        if (key.equals("exit") || key.equals("leave")) {
            key = "quit";
        }
        for (Command c : ALL) {
            if (c.name().equals(key)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Commands whose name starts with {@code prefix} (without the slash), for completion. */
    public static List<Command> completing(String prefix, List<Command> among) {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<Command> out = new ArrayList<>();
        for (Command c : among) {
            if (c.name().startsWith(p)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * A composer line as a command, or empty when it is a message (no leading slash, or a leading
     * {@code //}).
     */
    public static Optional<Parsed> parse(String line) {
        String s = line.strip();
        if (!s.startsWith("/") || s.startsWith("//")) {
            return Optional.empty();
        }
        int space = indexOfSpace(s);
        String name = (space < 0 ? s.substring(1) : s.substring(1, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : s.substring(space).strip();
        return Optional.of(new Parsed(name, find(name).orElse(null), rest));
    }

    /** The text a {@code //}-line stands for: "//etc" is the message "/etc". */
    public static String unescape(String line) {
        String s = line.strip();
        return s.startsWith("//") ? s.substring(1) : s;
    }

    /** The hint for a command nobody knows: the closest names, else where to look. */
    public static String unknown(String name, List<Command> among) {
        List<Command> close = completing(name.isEmpty() ? "" : name.substring(0, 1), among);
        String suggestion = close.isEmpty()
                ? ""
                : " Did you mean "
                        + String.join(
                                ", ", close.stream().map(c -> "/" + c.name()).toList()) + "?";
        return "Unknown command /" + name + "." + suggestion
                + " Type /help for the list; start with // to send a line beginning with /.";
    }

    /** What {@code /help} prints: every command of {@code among} with its usage and sentence. */
    public static List<String> helpLines(List<Command> among) {
        return among.stream().map(c -> c.usage() + " — " + c.help()).toList();
    }

    /** A moderation command read: what to do to whom, why, and for how long (a mute). */
    public record ModerationCall(Moderation.Action action, String nick, String reason, long minutes) {}

    /**
     * Reads {@code /kick NICK [REASON]}, {@code /ban}, {@code /unban NICK}, {@code /mute NICK
     * MINUTES [REASON]}, {@code /unmute}, {@code /mod}, {@code /unmod}. A nickname with spaces is
     * recognised when it is one of {@code members}. Returns the call, or throws
     * {@link IllegalArgumentException} with the usage line.
     */
    public static ModerationCall moderation(Parsed p, List<String> members) {
        Moderation.Action action = Moderation.Action.fromWire(p.name());
        if (action == null || p.command() == null) {
            throw new IllegalArgumentException("Not a moderation command: /" + p.name());
        }
        String usage = "Usage: " + p.command().usage();
        String rest = p.rest();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(usage);
        }
        String nick = longestMember(rest, members);
        if (nick == null) {
            nick = rest.split("\\s+", 2)[0];
        }
        String after = rest.substring(Math.min(rest.length(), nick.length())).strip();
        long minutes = 0;
        if (action == Moderation.Action.MUTE) {
            String[] w = after.isEmpty() ? new String[0] : after.split("\\s+", 2);
            try {
                minutes = w.length == 0 ? -1 : Long.parseLong(w[0]);
            } catch (NumberFormatException e) {
                minutes = -1;
            }
            if (minutes <= 0) {
                throw new IllegalArgumentException(usage + " (MINUTES: how long, e.g. 10)");
            }
            after = w.length > 1 ? w[1] : "";
        }
        boolean takesReason =
                action == Moderation.Action.KICK || action == Moderation.Action.BAN || action == Moderation.Action.MUTE;
        if (!takesReason && !after.isEmpty()) {
            throw new IllegalArgumentException(usage);
        }
        return new ModerationCall(action, nick, after, minutes);
    }

    /**
     * Reads {@code /msg NICK TEXT}: the member (one of {@code members}, so a name with spaces is
     * found; else the first word) and the text. Throws {@link IllegalArgumentException} with the
     * usage line.
     */
    public static String[] direct(Parsed p, List<String> members) {
        String rest = p.rest();
        String nick = longestMember(rest, members);
        if (nick == null) {
            nick = rest.split("\\s+", 2)[0];
        }
        String text = rest.substring(Math.min(rest.length(), nick.length())).strip();
        if (nick.isEmpty() || text.isEmpty()) {
            throw new IllegalArgumentException("Usage: /msg NICK TEXT");
        }
        return new String[] {nick, text};
    }

    /** The longest of {@code members} that {@code rest} starts with (then a space or its end), or null. */
    private static String longestMember(String rest, List<String> members) {
        String nick = null;
        String key = rest.toLowerCase(Locale.ROOT);
        for (String m : members) {
            String mk = m.toLowerCase(Locale.ROOT);
            if ((key.equals(mk) || key.startsWith(mk + " ")) && (nick == null || m.length() > nick.length())) {
                nick = m;
            }
        }
        return nick;
    }

    /** The "/me" action text of a message, or null when it is not one ("/me waves" → "waves"). */
    public static String action(String text) {
        if (text != null
                && text.startsWith("/me ")
                && text.length() > 4
                && !text.substring(4).isBlank()) {
            return text.substring(4);
        }
        return null;
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
