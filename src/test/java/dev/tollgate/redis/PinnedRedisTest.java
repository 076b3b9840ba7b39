package dev.tollgate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.SilentServer;
import dev.tollgate.testing.TestRedis;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One pipelined connection per event loop, against this machine's Redis (skipped when absent). */
class PinnedRedisTest {

  private Vertx vertx;
  private Redis redis;

  @BeforeEach
  void start() {
    String url = TestRedis.url();
    vertx = Vertx.vertx();
    redis = TestRedis.client(vertx, url, 500);
  }

  @AfterEach
  void stop() throws Exception {
    redis.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Runs {@code work} on {@code loop} and waits for what it gives. */
  private static <T> T on(Context loop, Supplier<Future<T>> work) throws Exception {
    Promise<T> done = Promise.promise();
    loop.runOnContext(v -> work.get().onComplete(done));
    return done.future().await(5, TimeUnit.SECONDS);
  }

  private static Thread loopOf(Context context) throws Exception {
    return on(context, () -> Future.succeededFuture(Thread.currentThread()));
  }

  private long connectionId(Context loop) throws Exception {
    return on(loop, () -> redis.send(Request.cmd(Command.CLIENT).arg("ID"))).toLong();
  }

  @Test
  void eachEventLoopKeepsOneConnectionForAllItsCommands() throws Exception {
    // Verticle instances are spread over the event loops in turn: two of them sit on two loops.
    List<Context> loops = java.util.Collections.synchronizedList(new ArrayList<>());
    vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        loops.add(context);
        return Future.succeededFuture();
      }
    }, new io.vertx.core.DeploymentOptions().setInstances(2)).await(5, TimeUnit.SECONDS);
    Context first = loops.get(0);
    Context second = loops.get(1);
    assertThat(loopOf(first)).isNotSameAs(loopOf(second));

    long a = connectionId(first);
    List<Future<io.vertx.redis.client.Response>> many = new ArrayList<>();
    Promise<Void> sent = Promise.promise();
    first.runOnContext(v -> {
      for (int i = 0; i < 100; i++) {
        many.add(redis.send(Request.cmd(Command.CLIENT).arg("ID")));
      }
      sent.complete();
    });
    sent.future().await(5, TimeUnit.SECONDS);
    for (Future<io.vertx.redis.client.Response> id : many) {
      assertThat(id.await(5, TimeUnit.SECONDS).toLong()).as("100 commands pipelined on one connection").isEqualTo(a);
    }
    assertThat(connectionId(second)).as("another loop, another connection").isNotEqualTo(a);
  }

  @Test
  void requestsOfAnHttpServerShareTheirLoopsConnection() throws Exception {
    // Each HTTP request runs on a context of its own: connections must follow the loop, not it.
    var server = vertx.createHttpServer().requestHandler(request -> redis.send(Request.cmd(Command.CLIENT).arg("ID"))
        .onComplete(id -> request.response().end(id.succeeded() ? id.result().toString() : "failed: " + id.cause())));
    int port = server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 40; i++) {
      ids.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    }

    assertThat(ids).as("one server, one event loop: one connection for all 40 requests").hasSize(1);
    assertThat(ids.iterator().next()).doesNotStartWith("failed");
    assertThat(((PinnedRedis) redis).pinnedConnections()).isEqualTo(1);
    server.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void aConnectionRedisClosedIsReplaced() throws Exception {
    Context loop = vertx.getOrCreateContext();
    long before = connectionId(loop);
    redis.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(before)).await(5, TimeUnit.SECONDS);

    long after = -1;
    long deadline = System.currentTimeMillis() + 3_000;
    while (after < 0 && System.currentTimeMillis() < deadline) {
      try {
        after = connectionId(loop);
      } catch (Exception closedUnderIt) {
        // the command in flight when the connection died fails; the next one gets a new connection
      }
    }

    assertThat(after).isPositive().isNotEqualTo(before);
  }

  @Test
  void aServerThatNeverAnswersTimesOutAndIsTriedAfresh() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      Redis stuck = TestRedis.client(vertx, "redis://127.0.0.1:" + silent.port(), 200);
      Context loop = vertx.getOrCreateContext();

      for (int attempt = 0; attempt < 2; attempt++) {
        long started = System.nanoTime();
        Throwable failure = null;
        try {
          on(loop, () -> stuck.send(Request.cmd(Command.PING)));
        } catch (Exception e) {
          failure = e;
        }
        assertThat(failure).as("no answer is a failure, not a hang").isNotNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2_000);
      }
      assertThat(silent.connections()).as("the silent connection was dropped and a new one opened").isGreaterThanOrEqualTo(2);
    }
  }
}
