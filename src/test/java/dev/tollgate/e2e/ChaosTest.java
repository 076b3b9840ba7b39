package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream.Fault;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRepository;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three channels of one model — one healthy, one failing 30 % of its calls with a 500, one
 * hanging on 10 % past the first-byte timeout — and 1,000 requests, half of them streams, 8 at a
 * time, with the production circuit settings: every client gets its answer, within the deadline.
 */
@Timeout(60)
@UsesDatabase
class ChaosTest {

  private static final int REQUESTS = 1_000;
  private static final int CONCURRENCY = 8;
  private static final int FIRST_BYTE_MS = 400;
  private static final int DEADLINE_MS = 5_000;

  @TempDir Path dataDir;

  private record Outcome(int status, String body, long millis, String requestId) {}

  @Test
  void everyRequestSucceedsWithinTheDeadlineWhileTwoOfThreeChannelsMisbehave() throws Exception {
    TollgateConfig.Routing routing = new TollgateConfig.Routing(3, DEADLINE_MS, 0, new TollgateConfig.Circuit(0, 0, 0, 0, 0));
    try (TestGateway gateway = TestGateway.start(dataDir, FIRST_BYTE_MS, 2_000, routing);
        MockOpenAiUpstream healthy = new MockOpenAiUpstream();
        MockOpenAiUpstream flaky = new MockOpenAiUpstream().inject(Fault.STATUS_500, 0.3);
        MockOpenAiUpstream hanging = new MockOpenAiUpstream().inject(Fault.HANG, 0.1)) {
      for (MockOpenAiUpstream upstream : List.of(healthy, flaky, hanging)) {
        gateway.addChannel("openai", upstream.baseUrl(), List.of("chaos"), Map.of("chaos", "mock-text"));
      }
      String key = gateway.createKey();
      String url = gateway.baseUrl() + "/v1/chat/completions";

      List<Future<Outcome>> pending = new ArrayList<>();
      ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
      try {
        for (int i = 0; i < REQUESTS; i++) {
          boolean stream = i % 2 == 0;
          pending.add(clients.submit(() -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(DEADLINE_MS * 2L))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(chat("chaos", stream)))
                .build();
            long start = System.nanoTime();
            HttpResponse<String> response = Http.send(request);
            return new Outcome(response.statusCode(), response.body(), (System.nanoTime() - start) / 1_000_000,
                response.headers().firstValue("x-request-id").orElse(""));
          }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> future : pending) {
          outcomes.add(future.get());
        }

        assertThat(outcomes).allSatisfy(outcome -> {
          assertThat(outcome.status()).as(outcome.body()).isEqualTo(200);
          assertThat(outcome.body()).satisfiesAnyOf(
              body -> assertThat(body).contains("Hello there!"),
              body -> assertThat(body).contains("\" there\"").endsWith("data: [DONE]\n\n"));
          assertThat(outcome.millis()).isLessThan(DEADLINE_MS);
        });
        assertThat(flaky.chatRequests()).as("the chaos was real").isPositive();

        UsageRepository usage = new UsageRepository(gateway.app().stores().sql());
        long waitUntil = System.currentTimeMillis() + 5_000;
        while (usage.count() < REQUESTS && System.currentTimeMillis() < waitUntil) {
          Thread.sleep(20);
        }
        List<UsageRecord> records = usage.recent(REQUESTS);
        assertThat(records).hasSize(REQUESTS).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(records).as("some requests needed a second channel")
            .anySatisfy(r -> assertThat(r.attempts()).hasSizeGreaterThan(1));
        assertThat(records.stream().flatMap(r -> r.attempts().stream()))
            .as("the hanging channel's timeouts are on record").anySatisfy(a -> assertThat(a.error()).isEqualTo("timeout"));
      } finally {
        clients.shutdownNow();
      }
    }
  }
}
