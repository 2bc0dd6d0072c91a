package io.cutover;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layers docs/architecture.md draws, checked on the compiled classes: a package that reaches
 * past its layer (the engine into the CLI, the plan into the engine, the journal into anything)
 * fails here, not in review.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cutover");

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.cutover.cli..")
                .layer("run").definedBy("io.cutover.run..")
                .layer("report").definedBy("io.cutover.report..")
                .layer("engine").definedBy("io.cutover.engine..")
                .layer("plan").definedBy("io.cutover.plan..")
                .layer("helper").definedBy("io.cutover.helper..")
                .layer("inputs").definedBy("io.cutover.inventory..", "io.cutover.playbook..", "io.cutover.render..")
                .layer("journal").definedBy("io.cutover.journal..")
                .layer("ssh").definedBy("io.cutover.ssh..")
                .layer("yaml").definedBy("io.cutover.yaml..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("run").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("run", "cli")
                .whereLayer("plan").mayOnlyBeAccessedByLayers("engine", "run", "cli")
                .whereLayer("helper").mayOnlyBeAccessedByLayers("plan", "engine", "run", "cli")
                .whereLayer("journal").mayOnlyBeAccessedByLayers("engine", "run", "report", "cli")
                .whereLayer("inputs").mayOnlyBeAccessedByLayers("inputs", "plan", "engine", "run", "report", "cli")
                .whereLayer("ssh").mayOnlyBeAccessedByLayers("inputs", "helper", "engine", "run", "cli")
                .check(CLASSES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.cutover.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
