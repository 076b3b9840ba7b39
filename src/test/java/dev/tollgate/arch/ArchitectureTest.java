package dev.tollgate.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of shared/design.md §7, kept true by the build. */
class ArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tollgate");
  }

  @Test
  void protocolAndSseAreFreeOfHttpAndStorage() {
    noClasses().that().resideInAnyPackage("dev.tollgate.protocol..", "dev.tollgate.sse..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.vertx..", "io.netty..", "java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..",
            "dev.tollgate.relay..", "dev.tollgate.api..", "dev.tollgate.db..", "dev.tollgate.provider..",
            "dev.tollgate.account..", "dev.tollgate.billing..", "dev.tollgate.limit..", "dev.tollgate.usage..",
            "dev.tollgate.channel..", "dev.tollgate.config..", "dev.tollgate.cli..")
        .check(classes);
  }

  @Test
  void domainsNeverDependOnApiOrRelay() {
    noClasses().that().resideInAnyPackage(
            "dev.tollgate.account..", "dev.tollgate.billing..", "dev.tollgate.limit..", "dev.tollgate.usage..",
            "dev.tollgate.channel..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tollgate.api..", "dev.tollgate.relay..", "dev.tollgate.cli..")
        .check(classes);
  }

  @Test
  void providersDependOnProtocolOnly() {
    noClasses().that().resideInAPackage("dev.tollgate.provider..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.tollgate.account..", "dev.tollgate.billing..", "dev.tollgate.limit..", "dev.tollgate.usage..",
            "dev.tollgate.channel..", "dev.tollgate.api..", "dev.tollgate.relay..", "dev.tollgate.db..",
            "io.vertx..", "java.sql..")
        .check(classes);
  }

  @Test
  void onlyApiKnowsRoutes() {
    noClasses().that().resideOutsideOfPackage("dev.tollgate.api..")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.web.Router")
        .check(classes);
  }

  @Test
  void onlyDbAndRepositoriesKnowSql() {
    noClasses().that().resideOutsideOfPackage("dev.tollgate.db..")
        .and().haveSimpleNameNotEndingWith("Repository")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..")
        .check(classes);
  }

  @Test
  void onlyCliKnowsPicocli() {
    noClasses().that().resideOutsideOfPackage("dev.tollgate.cli..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(classes);
  }
}
