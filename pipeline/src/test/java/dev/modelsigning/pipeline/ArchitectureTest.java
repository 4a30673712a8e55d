package dev.modelsigning.pipeline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the modules promise, checked on the compiled classes: core is plain Java, the Beam
 * transforms (model-signing-beam) know nothing of the application or of any runner, and no two
 * packages depend on each other in a cycle.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // test-jars of other modules (core's stand-ins) are test code too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.modelsigning");
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.modelsigning.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void coreIsPlainJava() {
    noClasses()
        .that()
        .resideInAPackage("dev.modelsigning.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.beam..", "dev.modelsigning.beam..", "dev.modelsigning.pipeline..")
        .check(classes);
  }

  @Test
  void transformsDependOnNoRunnerAndNoApplication() {
    noClasses()
        .that()
        .resideInAPackage("dev.modelsigning.beam..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.beam.runners..", "dev.modelsigning.pipeline..")
        .check(classes);
  }
}
