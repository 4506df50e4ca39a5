package org.confab.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layers of GUIDE.md: core, protocol, net and store never touch JavaFX; core stays pure. */
@AnalyzeClasses(packages = "org.confab", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {
    @ArchTest
    static final ArchRule logicNeverUsesJavaFx = noClasses()
            .that().resideInAnyPackage("org.confab.core..", "org.confab.protocol..", "org.confab.net..", "org.confab.store..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..", "org.kordamp.ikonli..")
            .because("the network and domain layers must run headless (GUIDE.md §1)");

    @ArchTest
    static final ArchRule coreIsPure = noClasses()
            .that().resideInAPackage("org.confab.core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.nio.channels..", "org.confab.net..",
                    "org.confab.protocol..", "org.confab.ui..", "org.confab.cli..", "org.confab.store..")
            .orShould().dependOnClassesThat().haveNameMatching("java\\.net\\..*Socket.*")
            .because("core is the pure domain: no sockets, no codec, no UI");

    @ArchTest
    static final ArchRule protocolDoesNoIo = noClasses()
            .that().resideInAPackage("org.confab.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("java.nio.channels..", "org.confab.net..", "org.confab.ui..")
            .orShould().dependOnClassesThat().haveNameMatching("java\\.net\\..*Socket.*")
            .because("the codec is pure and fuzzable");

    @ArchTest
    static final ArchRule netDoesNotKnowTheUi = noClasses()
            .that().resideInAnyPackage("org.confab.net..", "org.confab.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.confab.ui..", "org.confab.cli..");
}
