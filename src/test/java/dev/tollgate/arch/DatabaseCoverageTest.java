package dev.tollgate.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.tollgate.testing.UsesDatabase;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps issue 11's promise for the tests written later: a test class that starts a gateway or
 * opens a database runs on all three databases, either by being tagged {@link UsesDatabase} (the
 * build runs it again on PostgreSQL and MariaDB) or by iterating over {@code TestDatabase} itself.
 */
class DatabaseCoverageTest {

  // Names, not class literals: this test itself must not count as touching the database.
  private static final Set<String> TOUCHING_THE_DATABASE =
      Set.of("dev.tollgate.testing.TestGateway", "dev.tollgate.testing.MigratedDatabase", "dev.tollgate.db.Database",
          "dev.tollgate.App");
  /** On SQLite alone, each for the reason its own comment gives. */
  private static final Set<String> SQLITE_ONLY = Set.of("dev.tollgate.usage.StatsAtScaleTest");

  @Test
  void everyTestThatTouchesTheDatabaseRunsOnEveryDatabase() {
    DescribedPredicate<JavaClass> touchesTheDatabase = DescribedPredicate.describe("start a gateway or open a database",
        c -> c.getDirectDependenciesFromSelf().stream().anyMatch(d -> TOUCHING_THE_DATABASE.contains(d.getTargetClass().getName())));
    ArchCondition<JavaClass> coverAllDatabases = new ArchCondition<>("be @UsesDatabase or iterate over TestDatabase") {
      @Override
      public void check(JavaClass test, ConditionEvents events) {
        boolean covered = test.isAnnotatedWith(UsesDatabase.class) || SQLITE_ONLY.contains(test.getName())
            || test.getDirectDependenciesFromSelf().stream().anyMatch(d -> d.getTargetClass().getName().equals("dev.tollgate.testing.TestDatabase"));
        events.add(new SimpleConditionEvent(test, covered, test.getName() + " touches the database but runs on SQLite only"));
      }
    };
    // Only our compiled tests, without following their dependencies into the SDK jars (slow).
    ArchConfiguration archUnit = ArchConfiguration.get();
    boolean resolving = archUnit.resolveMissingDependenciesFromClassPath();
    archUnit.setResolveMissingDependenciesFromClassPath(false);
    try {
      classes().that().haveSimpleNameEndingWith("Test").and(touchesTheDatabase)
          .should(coverAllDatabases)
          .check(new ClassFileImporter().importPath(Path.of("target/test-classes")));
    } finally {
      archUnit.setResolveMissingDependenciesFromClassPath(resolving);
    }
  }
}
