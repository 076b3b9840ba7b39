package dev.tollgate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that stores or reads through the database: Maven runs it once on SQLite and
 * again on PostgreSQL and on MariaDB (the {@code postgresql} and {@code mariadb} executions in the
 * pom select this tag). Use {@link TestDatabase#selected()} (TestGateway does) for its database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("database")
public @interface UsesDatabase {}
