package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups through /api/group, and what a caller may call: key allow-list ∩ group models ∩ the
 * owner's routing policy ∩ models with a channel.
 */
@UsesDatabase
class GroupAccessTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    // One channel serving both groups, so only the group's own model set decides.
    gateway.addChannel(new ChannelSpec("both", "openai", upstream.baseUrl(), List.of("sk-upstream"),
        List.of("m-common", "m-vip", "m-other"), null, 0, 1, null, null, null, List.of("default", "vip")));
    api = gateway.api();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static HttpResponse<String> chat(String key, String model) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private static List<String> listedModels(String key) throws Exception {
    HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
        .header("Authorization", "Bearer " + key).GET().build());
    List<String> ids = new ArrayList<>();
    JSON.readTree(response.body()).path("data").forEach(m -> ids.add(m.path("id").asText()));
    return ids;
  }

  /** A user of the group with a key; returns the key. */
  private static String keyOf(String username, String group, Set<String> keyModels) {
    Reply created = api.call("POST", "/api/user", "{\"username\":\"" + username + "\",\"password\":\"secret-pw\"}",
        TestGateway.ADMIN_TOKEN);
    long id = created.body().path("id").asLong();
    if (group != null) {
      assertThat(api.call("PUT", "/api/user/" + id, "{\"group\":\"" + group + "\"}", TestGateway.ADMIN_TOKEN).status())
          .isEqualTo(200);
    }
    return gateway.app().stores().keyService().create(id, "k", null, keyModels, null).key();
  }

  @Test
  void groupsAreCreatedReadUpdatedAndListed() {
    Reply created = api.call("POST", "/api/group",
        "{\"name\":\"gold\",\"description\":\"paying\",\"models\":[\"m-vip\"],\"priceRatio\":\"0.80\"}", TestGateway.ADMIN_TOKEN);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().path("priceRatio").asText()).isEqualTo("0.8");
    assertThat(created.body().path("models").toString()).isEqualTo("[\"m-vip\"]");
    assertThat(api.call("POST", "/api/group", "{\"name\":\"gold\"}", TestGateway.ADMIN_TOKEN).status()).isEqualTo(409);

    Reply updated = api.call("PUT", "/api/group/gold", "{\"priceRatio\":1.25}", TestGateway.ADMIN_TOKEN);
    assertThat(updated.body().path("priceRatio").asText()).isEqualTo("1.25");
    assertThat(updated.body().path("description").asText()).as("untouched").isEqualTo("paying");
    assertThat(api.call("GET", "/api/group/gold", null, TestGateway.ADMIN_TOKEN).body().path("models").toString())
        .isEqualTo("[\"m-vip\"]");
    assertThat(api.call("GET", "/api/group", null, TestGateway.ADMIN_TOKEN).body().path("data").toString())
        .contains("\"name\":\"default\"").contains("\"name\":\"gold\"");
    assertThat(api.call("GET", "/api/group/none", null, TestGateway.ADMIN_TOKEN).status()).isEqualTo(404);
  }

  @Test
  void badGroupsAre400sNamingTheField() {
    assertThat(api.call("POST", "/api/group", "{\"name\":\"has space\"}", TestGateway.ADMIN_TOKEN).error()).contains("'name'");
    assertThat(api.call("POST", "/api/group", "{\"name\":\"neg\",\"priceRatio\":-1}", TestGateway.ADMIN_TOKEN).error())
        .contains("'priceRatio'");
    assertThat(api.call("POST", "/api/group", "{\"name\":\"txt\",\"priceRatio\":\"cheap\"}", TestGateway.ADMIN_TOKEN).error())
        .contains("'priceRatio'");
    assertThat(api.call("POST", "/api/group", "{\"name\":\"lst\",\"models\":\"m\"}", TestGateway.ADMIN_TOKEN).error())
        .contains("'models'");
    assertThat(api.call("PUT", "/api/group/default", "{\"name\":\"renamed\"}", TestGateway.ADMIN_TOKEN).error())
        .contains("renamed");
  }

  @Test
  void aGroupInUseAndTheDefaultGroupCannotBeDeletedButAnEmptyOneCan() {
    api.call("POST", "/api/group", "{\"name\":\"busy\"}", TestGateway.ADMIN_TOKEN);
    keyOf("busymember", "busy", null);
    api.call("POST", "/api/group", "{\"name\":\"empty\"}", TestGateway.ADMIN_TOKEN);

    Reply busy = api.call("DELETE", "/api/group/busy", null, TestGateway.ADMIN_TOKEN);
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.error()).contains("1 users");
    assertThat(api.call("DELETE", "/api/group/default", null, TestGateway.ADMIN_TOKEN).status()).isEqualTo(409);
    assertThat(api.call("DELETE", "/api/group/empty", null, TestGateway.ADMIN_TOKEN).status()).isEqualTo(204);
    assertThat(api.call("GET", "/api/group/empty", null, TestGateway.ADMIN_TOKEN).status()).isEqualTo(404);
  }

  @Test
  void aModelOutsideTheGroupIsForbiddenNamingTheGroupAndListsShowOnlyTheEffectiveSet() throws Exception {
    api.call("POST", "/api/group", "{\"name\":\"vip\",\"models\":[\"m-vip\",\"m-common\"]}", TestGateway.ADMIN_TOKEN);
    String vip = keyOf("vipuser", "vip", null);
    String vipNarrowKey = keyOf("vipnarrow", "vip", Set.of("m-vip", "m-other"));
    String plain = keyOf("plainuser", null, null);

    assertThat(chat(vip, "m-vip").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = chat(vip, "m-other");
    assertThat(refused.statusCode()).isEqualTo(403);
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("message").asText()).contains("group 'vip'").contains("m-other");
    assertThat(error.path("code").asText()).isEqualTo("forbidden");
    assertThat(chat(plain, "m-other").statusCode()).as("default allows every model").isEqualTo(200);

    assertThat(listedModels(vip)).containsExactlyInAnyOrder("m-vip", "m-common");
    assertThat(listedModels(vipNarrowKey)).as("key ∩ group").containsExactly("m-vip");
    assertThat(listedModels(plain)).containsExactlyInAnyOrder("m-vip", "m-common", "m-other");
  }

  @Test
  void theOwnersRoutingPolicyBlocksOtherModels() throws Exception {
    Reply created = api.call("POST", "/api/user", "{\"username\":\"policed\",\"password\":\"secret-pw\"}", TestGateway.ADMIN_TOKEN);
    long id = created.body().path("id").asLong();
    api.call("PUT", "/api/user/" + id, "{\"allowedModels\":[\"m-common\"]}", TestGateway.ADMIN_TOKEN);
    String key = gateway.app().stores().keyService().create(id, "k", null, null, null).key();

    assertThat(chat(key, "m-common").statusCode()).isEqualTo(200);
    HttpResponse<String> blocked = chat(key, "m-vip");
    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(blocked.body()).path("error").path("message").asText()).contains("blocked by routing policy");
    assertThat(listedModels(key)).containsExactly("m-common");
  }
}
