package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admins managing users through /api/user, and what their changes do to the relay. */
@UsesDatabase
class UserAdminApiTest {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String CHAT = "{\"model\":\"mock-text\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;
  static String root;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(upstream.baseUrl(), List.of("mock-text"), Map.of());
    api = gateway.api();
    root = api.login("root", TestGateway.ROOT_PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** A new user, created by root; returns its id. */
  private static long createUser(String name, String role) {
    Reply created = api.call("POST", "/api/user", "{\"username\":\"" + name + "\",\"password\":\"secret-pw\",\"role\":\""
        + role + "\"}", root);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.body().path("id").asLong();
  }

  private static String unique(String base) {
    return base + NAMES.incrementAndGet();
  }

  private static HttpResponse<String> chat(String key) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, CHAT);
  }

  @Test
  void adminsCreateReadAndListUsersWithPagesAndSearch() {
    String prefix = unique("pager");
    for (int i = 0; i < 5; i++) {
      createUser(prefix + "x" + i, "user");
    }

    Reply firstPage = api.call("GET", "/api/user?search=" + prefix + "&pageSize=2", null, root);
    assertThat(firstPage.status()).isEqualTo(200);
    assertThat(firstPage.body().path("total").asLong()).isEqualTo(5);
    assertThat(firstPage.body().path("data")).hasSize(2);
    assertThat(firstPage.body().path("data").get(0).path("username").asText()).as("newest first").isEqualTo(prefix + "x4");
    Reply lastPage = api.call("GET", "/api/user?search=" + prefix + "&pageSize=2&page=3", null, root);
    assertThat(lastPage.body().path("data")).hasSize(1);
    assertThat(api.call("GET", "/api/user?search=" + prefix + "&page=9", null, root).body().path("data")).isEmpty();
    assertThat(api.call("GET", "/api/user?pageSize=101", null, root).error()).contains("'pageSize'");
    assertThat(api.call("GET", "/api/user?page=0", null, root).error()).contains("'page'");
    assertThat(api.call("GET", "/api/user?search=%25", null, root).body().path("total").asLong())
        .as("a LIKE wildcard is searched literally").isZero();

    long id = firstPage.body().path("data").get(0).path("id").asLong();
    Reply one = api.call("GET", "/api/user/" + id, null, TestGateway.ADMIN_TOKEN);
    assertThat(one.body().path("username").asText()).isEqualTo(prefix + "x4");
    assertThat(one.raw().body()).doesNotContain("argon2");
    assertThat(api.call("GET", "/api/user/999999", null, root).status()).isEqualTo(404);
  }

  @Test
  void regularUsersCannotUseTheUserAdminApiAndTheirUploadIsRefusedUnread() {
    String user = api.register(unique("plain"), "secret-pw");

    assertThat(api.call("GET", "/api/user", null, user).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/user/1", null, user).status()).isEqualTo(403);
    assertThat(api.call("POST", "/api/user", "{\"username\":\"sneaky\",\"password\":\"secret-pw\"}", user).status())
        .isEqualTo(403);
    assertThat(api.call("PUT", "/api/user/1", "{\"status\":\"disabled\"}", user).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/group", null, user).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/channel", null, user).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/user/self", null, root).body().path("status").asText()).isEqualTo("enabled");
  }

  @Test
  void disablingAUserStopsTheirKeysWithinASecondAndTheirSessionAtOnce() throws Exception {
    String name = unique("dora");
    long id = createUser(name, "user");
    String session = api.login(name, "secret-pw");
    String key = gateway.app().stores().keyService().create(id, "k", null, null, null).key();
    assertThat(chat(key).statusCode()).isEqualTo(200);

    Reply disabled = api.call("POST", "/api/user/" + id + "/disable", null, root);
    assertThat(disabled.body().path("status").asText()).isEqualTo("disabled");

    assertThat(api.call("GET", "/api/user/self", null, session).status()).isEqualTo(401);
    long deadline = System.nanoTime() + 1_000_000_000L;
    int status = 200;
    while (System.nanoTime() < deadline && status == 200) {
      status = chat(key).statusCode();
      Thread.sleep(50);
    }
    assertThat(status).as("refused within a second").isEqualTo(401);
    Reply login = api.call("POST", "/api/user/login", ManagementClient.json("username", name, "password", "secret-pw"), null);
    assertThat(login.status()).isEqualTo(403);
    assertThat(login.error()).contains("disabled");

    api.call("POST", "/api/user/" + id + "/enable", null, root);
    Thread.sleep(1_000);
    assertThat(chat(key).statusCode()).isEqualTo(200);
  }

  @Test
  void deletedUsersDisappearAndTheirKeysStop() throws Exception {
    String name = unique("ed");
    long id = createUser(name, "user");
    String key = gateway.app().stores().keyService().create(id, "k", null, null, null).key();

    assertThat(api.call("DELETE", "/api/user/" + id, null, root).status()).isEqualTo(204);

    assertThat(api.call("GET", "/api/user/" + id, null, root).status()).isEqualTo(404);
    assertThat(api.call("DELETE", "/api/user/" + id, null, root).status()).isEqualTo(404);
    Thread.sleep(1_000);
    assertThat(chat(key).statusCode()).isEqualTo(401);
  }

  @Test
  void aQuotaTopUpNeedsAReasonAndIsJournaled() {
    long id = createUser(unique("quota"), "user");

    Reply noReason = api.call("PUT", "/api/user/" + id, "{\"quotaDelta\":500}", root);
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.error()).contains("'reason'");
    Reply topped = api.call("PUT", "/api/user/" + id, "{\"quotaDelta\":500,\"reason\":\"invoice 42\"}", root);
    assertThat(topped.body().path("quota").asLong()).isEqualTo(500);
    Reply takenBack = api.call("PUT", "/api/user/" + id, "{\"quotaDelta\":-200,\"reason\":\"refund\"}", root);
    assertThat(takenBack.body().path("quota").asLong()).isEqualTo(300);
    assertThat(gateway.app().stores().users().quotaJournal(id, 10))
        .extracting(change -> change.kind() + ":" + change.amount() + ":" + change.reason())
        .containsExactly("admin:-200000000:refund", "admin:500000000:invoice 42");
    assertThat(api.call("PUT", "/api/user/" + id, "{\"quotaDelta\":1.5,\"reason\":\"x\"}", root).error())
        .contains("'quotaDelta'");
  }

  @Test
  void rootCreditsItsOwnAccountButAnAdminCannotMintForThemselves() {
    long rootId = gateway.app().stores().root().id();
    long before = gateway.app().stores().users().findById(rootId).orElseThrow().quota();
    Reply own = api.call("PUT", "/api/user/" + rootId, "{\"quotaDelta\":250,\"reason\":\"operator credit\"}", root);
    assertThat(own.status()).as(own.raw().body()).isEqualTo(200);
    assertThat(gateway.app().stores().users().findById(rootId).orElseThrow().quota() - before).isEqualTo(250_000_000L);
    assertThat(api.call("PUT", "/api/user/" + rootId, "{\"quotaDelta\":1,\"reason\":\"x\",\"displayName\":\"R\"}", root)
        .status()).as("anything but quota still goes through /api/user/self").isEqualTo(403);

    String adminName = unique("minter");
    long adminId = createUser(adminName, "admin");
    String admin = api.login(adminName, "secret-pw");
    assertThat(api.call("PUT", "/api/user/" + adminId, "{\"quotaDelta\":100,\"reason\":\"mine\"}", admin).status())
        .isEqualTo(403);
  }

  @Test
  void onlyRootMakesAdminsAndNobodyChangesAnAccountOfTheirRankOrAbove() {
    String adminName = unique("adm");
    long adminId = createUser(adminName, "admin");
    String admin = api.login(adminName, "secret-pw");
    long otherAdmin = createUser(unique("adm"), "admin");
    long user = createUser(unique("usr"), "user");

    assertThat(api.call("POST", "/api/user", "{\"username\":\"" + unique("x") + "\",\"password\":\"secret-pw\",\"role\":\"admin\"}",
        admin).error()).contains("only root");
    assertThat(api.call("PUT", "/api/user/" + user, "{\"role\":\"admin\"}", admin).status()).isEqualTo(403);
    assertThat(api.call("PUT", "/api/user/" + otherAdmin, "{\"status\":\"disabled\"}", admin).status()).isEqualTo(403);
    assertThat(api.call("POST", "/api/user/1/disable", null, admin).status()).as("root").isEqualTo(403);
    assertThat(api.call("POST", "/api/user/" + adminId + "/disable", null, admin).error()).contains("/api/user/self");
    assertThat(api.call("PUT", "/api/user/" + user, "{\"role\":\"root\"}", root).error()).contains("one root");

    Reply managed = api.call("PUT", "/api/user/" + user, "{\"displayName\":\"Managed\",\"status\":\"disabled\"}", admin);
    assertThat(managed.status()).isEqualTo(200);
    assertThat(managed.body().path("displayName").asText()).isEqualTo("Managed");
    assertThat(managed.body().path("status").asText()).isEqualTo("disabled");
    assertThat(api.call("PUT", "/api/user/" + user, "{\"role\":\"admin\"}", root).body().path("role").asText()).isEqualTo("admin");
  }

  @Test
  void anAdminResetsAPasswordAndTheOldSessionsEnd() {
    String name = unique("reset");
    long id = createUser(name, "user");
    String session = api.login(name, "secret-pw");

    assertThat(api.call("PUT", "/api/user/" + id, "{\"password\":\"reset-by-admin\"}", root).status()).isEqualTo(200);

    assertThat(api.call("GET", "/api/user/self", null, session).status()).isEqualTo(401);
    assertThat(api.login(name, "reset-by-admin")).isNotBlank();
  }

  @Test
  void badAdminInputIsA400NamingTheField() {
    long id = createUser(unique("bad"), "user");

    assertThat(api.call("PUT", "/api/user/" + id, "{\"status\":\"sleeping\"}", root).error()).contains("'status'");
    assertThat(api.call("PUT", "/api/user/" + id, "{\"role\":\"king\"}", root).error()).contains("'role'");
    assertThat(api.call("PUT", "/api/user/" + id, "{\"group\":\"nope\"}", root).error()).contains("no group 'nope'");
    assertThat(api.call("PUT", "/api/user/" + id, "{\"allowedModels\":\"m\"}", root).error()).contains("'allowedModels'");
    assertThat(api.call("PUT", "/api/user/" + id, "{\"colour\":\"red\"}", root).error()).contains("unknown field 'colour'");
    assertThat(api.call("PUT", "/api/user/abc", "{}", root).status()).as("not a user id: no route").isEqualTo(404);
    JsonNode policy = api.call("PUT", "/api/user/" + id, "{\"allowedModels\":[\"m1\",\"m2\"],\"allowedProviders\":[\"openai\"]}",
        root).body().path("routingPolicy");
    assertThat(policy.path("allowedModels").toString()).isEqualTo("[\"m1\",\"m2\"]");
    assertThat(policy.path("allowedProviders").toString()).isEqualTo("[\"openai\"]");
  }
}
