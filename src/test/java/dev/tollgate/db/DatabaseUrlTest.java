package dev.tollgate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  void postgresUrlsBecomeJdbcWithTheCredentialsTakenOut() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://tollgate:p%40ss:w0rd@db.internal:6543/gateway?sslmode=require", null, null);

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/gateway?sslmode=require");
    assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(url.username()).isEqualTo("tollgate");
    assertThat(url.password()).isEqualTo("p@ss:w0rd");
    assertThat(url.redacted()).doesNotContain("p@ss").doesNotContain("w0rd");
    assertThat(DatabaseUrl.parse("postgres://u@localhost/db", null, null).jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db");
  }

  @Test
  void mysqlAndMariadbUrlsUseTheMariadbDriver() {
    DatabaseUrl mysql = DatabaseUrl.parse("mysql://root:secret@127.0.0.1:3306/tollgate", null, null);
    DatabaseUrl mariadb = DatabaseUrl.parse("mariadb://root@127.0.0.1/tollgate", null, null);
    DatabaseUrl jdbcMysql = DatabaseUrl.parse("jdbc:mysql://127.0.0.1:3306/tollgate?user=root", null, null);

    assertThat(mysql.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/tollgate");
    assertThat(mysql.password()).isEqualTo("secret");
    assertThat(mariadb.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1/tollgate");
    assertThat(jdbcMysql.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/tollgate?user=root");
    assertThat(mysql.dialect()).isEqualTo(Dialect.MARIADB);
    assertThat(jdbcMysql.dialect()).isEqualTo(Dialect.MARIADB);
  }

  @Test
  void explicitCredentialsWinOverTheUrls() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://fromurl:urlpw@h/db", "configured", "configuredpw");

    assertThat(url.username()).isEqualTo("configured");
    assertThat(url.password()).isEqualTo("configuredpw");
  }

  @Test
  void sqliteAndJdbcUrlsPassAsTheyAre() {
    assertThat(DatabaseUrl.parse("sqlite:/var/lib/tollgate/t.db", null, null).jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/tollgate/t.db");
    assertThat(DatabaseUrl.parse("jdbc:sqlite:rel.db", null, null).dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=a&password=hunter2", null, null).redacted())
        .isEqualTo("jdbc:postgresql://h/db?user=a&password=***");
  }

  @Test
  void unknownOrBrokenUrlsAreRefusedWithoutEchoingAPassword() {
    assertThatThrownBy(() -> DatabaseUrl.parse("oracle://scott:tiger@h/db", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://")
        .hasMessageNotContaining("tiger");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no host");
  }
}
