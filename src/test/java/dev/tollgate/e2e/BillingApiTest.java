package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.testing.LogCapture;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prices (/api/model, /api/pricing) and the wallet (/api/redemption, /api/user/topup, /api/user/journal). */
@UsesDatabase
class BillingApiTest {

  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;
  static LogCapture logs;
  static String admin;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir, c -> c.withBilling(c.billing().withFreeModels(List.of("local-*"))));
    gateway.addChannel(new ChannelSpec("both", "openai", upstream.baseUrl(), List.of("sk-upstream"),
        List.of("priced-a", "priced-b", "vip-only", "local-llama", "unpriced"), null, 0, 1, null, null, null,
        List.of("default", "half")));
    api = gateway.api();
    admin = TestGateway.ADMIN_TOKEN;
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    logs.close();
  }

  private static String user() {
    return api.register("buyer" + NAMES.incrementAndGet(), "buyer-password");
  }

  private static BigDecimal decimal(JsonNode node) {
    return node.decimalValue().stripTrailingZeros();
  }

  @Test
  void adminsSetReadListAndDeletePricesInDecimalCents() {
    Reply created = api.call("PUT", "/api/model/priced-a",
        "{\"inputPrice\":250,\"outputPrice\":\"1000.5\",\"cachedInputPrice\":0.000001}", admin);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(decimal(created.body().path("inputPrice"))).isEqualByComparingTo("250");
    assertThat(decimal(created.body().path("outputPrice"))).isEqualByComparingTo("1000.5");
    assertThat(created.body().path("cachedInputPrice").decimalValue()).isEqualByComparingTo("0.000001");
    assertThat(created.body().path("imagePrice").isNull()).isTrue();
    assertThat(gateway.app().prices().price("priced-a")).get()
        .satisfies(p -> assertThat(p.output()).isEqualTo(1_000_500_000L));

    Reply replaced = api.call("PUT", "/api/model/priced-a", "{\"inputPrice\":200,\"outputPrice\":800}", admin);
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().path("cachedInputPrice").isNull()).isTrue();
    assertThat(api.call("GET", "/api/model/priced-a", null, admin).body()).isEqualTo(replaced.body());

    Reply slashed = api.call("PUT", "/api/model/meta/llama-3", "{\"inputPrice\":1,\"outputPrice\":2}", admin);
    assertThat(slashed.status()).isEqualTo(201);
    assertThat(slashed.body().path("model").asText()).isEqualTo("meta/llama-3");
    assertThat(api.call("GET", "/api/model", null, admin).body().path("data").findValuesAsText("model"))
        .contains("priced-a", "meta/llama-3");

    assertThat(api.call("DELETE", "/api/model/meta/llama-3", null, admin).status()).isEqualTo(204);
    assertThat(api.call("GET", "/api/model/meta/llama-3", null, admin).status()).isEqualTo(404);
    assertThat(api.call("DELETE", "/api/model/meta/llama-3", null, admin).status()).isEqualTo(404);
  }

  @Test
  void badPricesAreRefusedNamingTheField() {
    assertThat(api.call("PUT", "/api/model/x", "{\"inputPrice\":0.0000001,\"outputPrice\":1}", admin).error())
        .contains("'inputPrice'").contains("6 decimal places");
    assertThat(api.call("PUT", "/api/model/x", "{\"inputPrice\":1}", admin).error()).contains("'outputPrice'");
    assertThat(api.call("PUT", "/api/model/x", "{\"inputPrice\":-1,\"outputPrice\":1}", admin).error())
        .contains("'inputPrice'");
    assertThat(api.call("PUT", "/api/model/x", "{\"inputPrice\":true,\"outputPrice\":1}", admin).error())
        .contains("'inputPrice'");
    assertThat(api.call("PUT", "/api/model/x", "{\"inputPrice\":1,\"outputPrice\":1,\"price\":3}", admin).error())
        .contains("unknown field 'price'");
    assertThat(api.call("PUT", "/api/model/x", "{\"inputPrice\":1,\"outputPrice\":1,\"model\":\"y\"}", admin).status())
        .isEqualTo(400);
    assertThat(api.call("GET", "/api/model/x", null, admin).status()).as("nothing was stored").isEqualTo(404);
  }

  @Test
  void onlyAdminsChangePrices() {
    String token = user();
    assertThat(api.call("PUT", "/api/model/priced-b", "{\"inputPrice\":1,\"outputPrice\":1}", token).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/model", null, token).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/model", null, null).status()).isEqualTo(401);
  }

  @Test
  void pricingListsTheModelsAGroupCanBuyAtItsRatio() {
    api.call("POST", "/api/group", "{\"name\":\"half\",\"priceRatio\":\"0.5\",\"models\":[\"priced-b\",\"local-llama\"]}", admin);
    api.call("PUT", "/api/model/priced-b", "{\"inputPrice\":\"300\",\"outputPrice\":\"0.000003\"}", admin);
    api.call("PUT", "/api/model/vip-only", "{\"inputPrice\":7,\"outputPrice\":7}", admin);

    JsonNode anonymous = api.call("GET", "/api/pricing", null, null).body();
    assertThat(anonymous.path("group").asText()).isEqualTo("default");
    assertThat(anonymous.path("data").findValuesAsText("model")).contains("priced-b", "vip-only", "local-llama")
        .doesNotContain("unpriced");

    String token = user();
    long id = api.call("GET", "/api/user/self", null, token).body().path("id").asLong();
    assertThat(api.call("PUT", "/api/user/" + id, "{\"group\":\"half\"}", admin).status()).isEqualTo(200);
    JsonNode half = api.call("GET", "/api/pricing", null, token).body();
    assertThat(half.path("priceRatio").asText()).isEqualTo("0.5");
    assertThat(half.path("data").findValuesAsText("model")).containsExactlyInAnyOrder("priced-b", "local-llama");
    for (JsonNode model : half.path("data")) {
      if (model.path("model").asText().equals("priced-b")) {
        assertThat(model.path("inputPrice").decimalValue()).isEqualByComparingTo("150");
        assertThat(model.path("outputPrice").decimalValue()).isEqualByComparingTo("0.0000015");
        assertThat(model.path("free").asBoolean()).isFalse();
      } else {
        assertThat(model.path("free").asBoolean()).isTrue();
      }
    }
    assertThat(api.call("GET", "/api/pricing", null, "not-a-session").status()).isEqualTo(401);
  }

  @Test
  void aRedemptionCodeTopsUpOnceAndTheJournalExplainsIt() {
    Reply batch = api.call("POST", "/api/redemption", "{\"name\":\"launch\",\"amount\":500,\"count\":3}", admin);
    assertThat(batch.status()).as(batch.raw().body()).isEqualTo(201);
    List<String> codes = new ArrayList<>();
    batch.body().path("codes").forEach(code -> codes.add(code.asText()));
    assertThat(codes).hasSize(3).allMatch(code -> code.startsWith("tgr-"));

    String token = user();
    Reply redeemed = api.call("POST", "/api/user/topup", ManagementClient.json("code", codes.get(0)), token);
    assertThat(redeemed.status()).as(redeemed.raw().body()).isEqualTo(200);
    assertThat(redeemed.body().path("amount").asLong()).isEqualTo(500);
    assertThat(redeemed.body().path("quota").asLong()).isEqualTo(500);
    assertThat(api.call("GET", "/api/user/self", null, token).body().path("quota").asLong()).isEqualTo(500);

    Reply again = api.call("POST", "/api/user/topup", ManagementClient.json("code", codes.get(0)), user());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).contains("already redeemed");
    assertThat(api.call("POST", "/api/user/topup", ManagementClient.json("code", "tgr-unknown"), token).status())
        .isEqualTo(404);
    assertThat(api.call("POST", "/api/user/topup", "{}", token).error()).contains("'code'");

    JsonNode history = api.call("GET", "/api/user/topup", null, token).body();
    assertThat(history.path("data")).singleElement().satisfies(line -> {
      assertThat(line.path("amount").asLong()).isEqualTo(500);
      assertThat(codes.get(0)).startsWith(line.path("code").asText().replace("…", ""));
      assertThat(line.path("code").asText()).isNotEqualTo(codes.get(0));
    });
    JsonNode journal = api.call("GET", "/api/user/journal", null, token).body();
    assertThat(journal.path("data")).singleElement().satisfies(line -> {
      assertThat(line.path("kind").asText()).isEqualTo("topup");
      assertThat(line.path("amount").asLong()).isEqualTo(500);
      assertThat(line.path("reason").asText()).contains("launch");
    });
    assertThat(journal.path("charges").isArray()).isTrue();

    long id = api.call("GET", "/api/user/self", null, token).body().path("id").asLong();
    assertThat(api.call("GET", "/api/user/" + id + "/journal", null, admin).body().path("data")).hasSize(1);
    assertThat(api.call("GET", "/api/user/" + id + "/journal", null, token).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/user/999999/journal", null, admin).status()).isEqualTo(404);
  }

  @Test
  void adminsListAndDisableCodesWhichNeverShowInFullAgain() {
    Reply batch = api.call("POST", "/api/redemption", "{\"name\":\"spare\",\"amount\":1.5,\"count\":2}", admin);
    String code = batch.body().path("codes").get(0).asText();
    JsonNode list = api.call("GET", "/api/redemption?batch=spare", null, admin).body();
    assertThat(list.path("total").asLong()).isEqualTo(2);
    assertThat(list.toString()).doesNotContain(code);
    assertThat(list.path("data").get(0).path("amount").decimalValue()).isEqualByComparingTo("1.5");
    long id = list.path("data").get(0).path("id").asLong();

    Reply disabled = api.call("POST", "/api/redemption/" + id + "/disable", null, admin);
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.body().path("status").asText()).isEqualTo("disabled");
    assertThat(api.call("POST", "/api/redemption/" + id + "/disable", null, admin).status()).isEqualTo(409);
    assertThat(api.call("POST", "/api/redemption/424242/disable", null, admin).status()).isEqualTo(404);

    String token = user();
    assertThat(api.call("GET", "/api/redemption", null, token).status()).isEqualTo(403);
    assertThat(api.call("POST", "/api/redemption", "{\"name\":\"mine\",\"amount\":1}", token).status()).isEqualTo(403);
    assertThat(api.call("POST", "/api/redemption", "{\"name\":\"bad\",\"amount\":0}", admin).error()).contains("'amount'");
    assertThat(api.call("POST", "/api/redemption", "{\"name\":\"bad\",\"amount\":1,\"count\":0}", admin).error())
        .contains("'count'");

    assertThat(logs.lines()).as("the capture works").isNotEmpty();
    assertThat(logs.lines()).noneMatch(line -> line.contains(code));
  }
}
