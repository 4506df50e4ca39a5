package org.confab.ui.room;

import java.util.List;

/**
 * The hostile texts of the Markdown benchmark (issue 15): what a peer could send to slow down or
 * fool the renderer. Sizes: the (10,000 nested quotes, a 1 MiB code block), the others
 * about the wire's limit for one message (16 KiB, {@code Room.MAX_MESSAGE_LENGTH}); the 1 MiB block
 * cannot arrive over the wire, it bounds the renderer on its own.
 */
final class HostileMarkdown {
    record Case(String name, String text) {}

    private HostileMarkdown() {}

    static List<Case> cases() {
        String codeLine = "x".repeat(63) + "\n";
        return List.of(
                new Case("baseline", "**Hello** _world_, `code` and a link https://example.com/a \uD83D\uDC4B"),
                new Case("quotes-10000-nested", ">".repeat(10_000) + " deep"),
                new Case("quote-lines-2000", "> a\n".repeat(2_000)),
                new Case("code-block-1MiB", "```\n" + codeLine.repeat(16_384) + "```"),
                new Case(
                        "emphasis-unbalanced",
                        "**a *b ~~c `d [e](f **g** _h " + "*".repeat(5_000) + "[".repeat(5_000) + "_a_".repeat(2_000)),
                new Case("emphasis-nested-3000", "*a ".repeat(3_000) + "x" + " a*".repeat(3_000)),
                new Case("emphasis-nested-40000", "*a ".repeat(40_000) + "y" + " a*".repeat(40_000)),
                new Case(
                        "bidi-in-links",
                        "[\u202Eexe.fdp\u202C invoice](https://example.com/\u202Egpj.exe) ".repeat(250)),
                new Case("zero-width", "a\u200B\u200C\u200D\uFEFF".repeat(3_000) + " https://exa\u200Bmple.com/x"),
                new Case(
                        "html-tags",
                        "<script>alert(1)</script><b>bold</b><img src=x onerror=alert(1)> <a href=\"x\">y</a> "
                                .repeat(150)),
                new Case("javascript-links", "[click me](javascript:alert(1)) <javascript:alert(2)> ".repeat(300)));
    }
}
