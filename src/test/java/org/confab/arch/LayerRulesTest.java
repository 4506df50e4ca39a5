package org.confab.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import javafx.scene.input.Clipboard;

/** The layers of GUIDE.md: core, protocol, net and store never touch JavaFX; core stays pure. */
@AnalyzeClasses(packages = "org.confab", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {
    @ArchTest
    static final ArchRule logicNeverUsesJavaFx = noClasses()
            .that()
            .resideInAnyPackage("org.confab.core..", "org.confab.protocol..", "org.confab.net..", "org.confab.store..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..", "org.kordamp.ikonli..")
            .because("the network and domain layers must run headless (GUIDE.md §1)");

    @ArchTest
    static final ArchRule coreIsPure = noClasses()
            .that()
            .resideInAPackage("org.confab.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "java.nio.channels..",
                    "org.confab.net..",
                    "org.confab.protocol..",
                    "org.confab.ui..",
                    "org.confab.cli..",
                    "org.confab.store..")
            .orShould()
            .dependOnClassesThat()
            .haveNameMatching("java\\.net\\..*Socket.*")
            .because("core is the pure domain: no sockets, no codec, no UI");

    @ArchTest
    static final ArchRule protocolDoesNoIo = noClasses()
            .that()
            .resideInAPackage("org.confab.protocol..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.nio.channels..", "org.confab.net..", "org.confab.ui..")
            .orShould()
            .dependOnClassesThat()
            .haveNameMatching("java\\.net\\..*Socket.*")
            .because("the codec is pure and fuzzable");

    @ArchTest
    static final ArchRule netDoesNotKnowTheUi = noClasses()
            .that()
            .resideInAnyPackage("org.confab.net..", "org.confab.store..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.confab.ui..", "org.confab.cli..");

    @ArchTest
    static final ArchRule protocolKnowsNoStoreOrCli = noClasses()
            .that()
            .resideInAPackage("org.confab.protocol..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.confab.store..", "org.confab.cli..")
            .because("the wire format stands alone: storage and commands build on it, not the reverse");

    @ArchTest
    static final ArchRule storeKnowsNoNetworkOrWire = noClasses()
            .that()
            .resideInAPackage("org.confab.store..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.confab.net..", "org.confab.protocol..")
            .because("the stores keep the domain's events (core), whatever carried them");

    @ArchTest
    static final ArchRule uiSeesNoWireTypes = noClasses()
            .that()
            .resideInAPackage("org.confab.ui..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.confab.protocol..")
            .because(
                    "the UI talks to a RoomConnection and its listener in net's own types (Joined, Disconnect), never frames");

    @ArchTest
    static final ArchRule oneWayIntoARoom = noClasses()
            .that()
            .resideOutsideOfPackage("org.confab.net..")
            .should()
            .dependOnClassesThat()
            .haveSimpleName("RoomLink")
            .orShould()
            .dependOnClassesThat()
            .haveSimpleName("LinkListener")
            .orShould()
            .dependOnClassesThat()
            .haveSimpleName("FramedSocket")
            .because("RoomConnection is the one public way into a room (docs/architecture.md)");

    @ArchTest
    static final ArchRule uiSharedPartsKnowNoFeature = noClasses()
            .that()
            .resideInAPackage("org.confab.ui.common..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.confab.ui.start..",
                    "org.confab.ui.host..",
                    "org.confab.ui.join..",
                    "org.confab.ui.room..",
                    "org.confab.ui.notify..",
                    "org.confab.ui.shell..",
                    "org.confab.ui.emoji..",
                    "org.confab.ui.markdown..")
            .because("ui.common is what every feature shares (docs/architecture.md)");

    @ArchTest
    static final ArchRule emojiUsesOnlyTheSharedParts = noClasses()
            .that()
            .resideInAPackage("org.confab.ui.emoji..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.confab.ui",
                    "org.confab.ui.start..",
                    "org.confab.ui.host..",
                    "org.confab.ui.join..",
                    "org.confab.ui.room..",
                    "org.confab.ui.notify..",
                    "org.confab.ui.shell..",
                    "org.confab.ui.markdown..",
                    "org.confab.net..",
                    "org.confab.store..",
                    "org.confab.cli..")
            .because(
                    "ui.emoji (images, picker, input repair) is a shared widget set: features use it, it uses ui.common at most");

    @ArchTest
    static final ArchRule markdownUsesOnlyEmojiAndTheSharedParts = noClasses()
            .that()
            .resideInAPackage("org.confab.ui.markdown..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.confab.ui",
                    "org.confab.ui.start..",
                    "org.confab.ui.host..",
                    "org.confab.ui.join..",
                    "org.confab.ui.room..",
                    "org.confab.ui.notify..",
                    "org.confab.ui.shell..",
                    "org.confab.net..",
                    "org.confab.store..",
                    "org.confab.cli..")
            .because("ui.markdown renders peer text for any feature; the caller decides what a link opens");

    @ArchTest
    static final ArchRule peerTextNeverBecomesHtml = noClasses()
            .that()
            .resideInAnyPackage("org.confab.ui.emoji..", "org.confab.ui.markdown..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx.scene.web..", "org.commonmark.renderer..")
            .because(
                    "peer text is drawn as JavaFX text nodes, never rendered to HTML or shown in a WebView (issue 15)");

    @ArchTest
    static final ArchRule uiFeaturesStandAlone = slices().matching(
                    "org.confab.ui.(start|host|join|room|notify|diagnostics)..")
            .should()
            .notDependOnEachOther()
            .because("each UI feature is a View, its FXML and its ViewModel; only the shell wires them together");

    @ArchTest
    static final ArchRule notificationsStandAlone = noClasses()
            .that()
            .resideInAPackage("org.confab.ui.notify..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.confab.ui", "org.confab.ui.shell..", "org.confab.net..", "org.confab.store..")
            .because("ui.notify shows what the shell hands it (docs/notifications.md); the shell wires it in");

    @ArchTest
    static final ArchRule onlyTheShellOpensTheWindow = noClasses()
            .that()
            .resideInAnyPackage(
                    "org.confab.ui.start..",
                    "org.confab.ui.host..",
                    "org.confab.ui.join..",
                    "org.confab.ui.room..",
                    "org.confab.ui.notify..",
                    "org.confab.ui.common..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.confab.ui.shell..")
            .because("the shell (the window, the open room) builds on the features, not the reverse");

    @ArchTest
    static final ArchRule noSystemClipboardInViews = noClasses()
            .that()
            .resideInAPackage("org.confab.ui..")
            .and()
            .doNotHaveSimpleName("TextClipboard")
            .should()
            .callMethod(Clipboard.class, "getSystemClipboard")
            .because("views copy through the TextClipboard their window gives them (testable, one place)");
}
