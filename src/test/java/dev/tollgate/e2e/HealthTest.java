package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@UsesDatabase
class HealthTest {

  @TempDir Path dataDir;

  @Test
  void healthIs503WhenTheDatabaseDoesNotAnswer() {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      assertThat(Http.get(gateway.baseUrl() + "/health", null).statusCode()).isEqualTo(200);

      ((HikariDataSource) gateway.app().stores().sql().dataSource()).close();

      // The database monitor probes once a second: health follows within a few seconds.
      HttpResponse<String> response = Http.get(gateway.baseUrl() + "/health", null);
      long deadline = System.currentTimeMillis() + 10_000;
      while (response.statusCode() != 503 && System.currentTimeMillis() < deadline) {
        sleep(100);
        response = Http.get(gateway.baseUrl() + "/health", null);
      }
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("\"status\":\"unavailable\"");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
