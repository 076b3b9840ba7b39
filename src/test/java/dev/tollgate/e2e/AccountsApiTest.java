package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.LogCapture;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users through the management API: registration, login, sessions, self-service, invite codes. */
@UsesDatabase
class AccountsApiTest {

  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;

  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(upstream.baseUrl(), List.of("mock-text"), Map.of());
    api = gateway.api();
  }

  @AfterAll
  static void stop() {
    logs.close();
    gateway.close();
    upstream.close();
  }

  private static String unique(String base) {
    return base + NAMES.incrementAndGet();
  }

  private static Reply register(String body) {
    return api.call("POST", "/api/user/register", body, null);
  }

  @Test
  void registrationAnswersTheUserAndASessionThatReadsItBack() {
    String name = unique("Alice");
    Reply registered = register("{\"username\":\"" + name + "\",\"password\":\"secret-pw\",\"email\":\"" + name
        + "@Example.com\",\"displayName\":\"Alice A.\"}");

    assertThat(registered.status()).isEqualTo(201);
    assertThat(registered.body().path("token").asText()).isNotBlank();
    assertThat(Instant.parse(registered.body().path("expiresAt").asText()))
        .isAfter(Instant.now().plusSeconds(6 * 24 * 3600)).isBefore(Instant.now().plusSeconds(7 * 24 * 3600 + 60));
    Reply self = api.call("GET", "/api/user/self", null, registered.body().path("token").asText());
    assertThat(self.status()).isEqualTo(200);
    assertThat(self.body().path("username").asText()).as("stored lower-case").isEqualTo(name.toLowerCase());
    assertThat(self.body().path("email").asText()).isEqualTo(name.toLowerCase() + "@example.com");
    assertThat(self.body().path("displayName").asText()).isEqualTo("Alice A.");
    assertThat(self.body().path("role").asText()).isEqualTo("user");
    assertThat(self.body().path("status").asText()).isEqualTo("enabled");
    assertThat(self.body().path("group").asText()).isEqualTo("default");
    assertThat(self.body().path("quota").asLong()).isZero();
    assertThat(self.body().path("usedQuota").asLong()).isZero();
    assertThat(self.body().path("requestCount").asLong()).isZero();
    assertThat(self.body().path("inviteCode").asText()).matches("[A-Z2-9]{10}");
    assertThat(self.raw().body()).doesNotContain("argon2").doesNotContain("password").doesNotContain("secret-pw");
  }

  @Test
  void aTakenUsernameOrEmailIsAConflictWhateverItsCase() {
    String name = unique("bob");
    assertThat(register("{\"username\":\"" + name + "\",\"password\":\"secret-pw\",\"email\":\"" + name + "@x.io\"}").status())
        .isEqualTo(201);

    Reply sameName = register("{\"username\":\"" + name.toUpperCase() + "\",\"password\":\"secret-pw\"}");
    assertThat(sameName.status()).isEqualTo(409);
    assertThat(sameName.error()).contains("username").contains("taken");
    Reply sameEmail = register("{\"username\":\"" + unique("other") + "\",\"password\":\"secret-pw\",\"email\":\""
        + name.toUpperCase() + "@X.IO\"}");
    assertThat(sameEmail.status()).isEqualTo(409);
    assertThat(sameEmail.error()).contains("email");
  }

  @Test
  void badRegistrationsAre400sNamingTheField() {
    assertThat(register("{\"username\":\"ab\",\"password\":\"secret-pw\"}").error()).contains("'username'");
    assertThat(register("{\"username\":\"with space\",\"password\":\"secret-pw\"}").error()).contains("'username'");
    assertThat(register("{\"username\":\"" + "x".repeat(33) + "\",\"password\":\"secret-pw\"}").error()).contains("'username'");
    assertThat(register("{\"username\":\"" + unique("carl") + "\",\"password\":\"12345\"}").error()).contains("'password'");
    assertThat(register("{\"username\":\"" + unique("carl") + "\",\"password\":\"secret-pw\",\"email\":\"nope\"}").error())
        .contains("'email'");
    assertThat(register("{\"username\":\"" + unique("carl") + "\",\"password\":123456}").error()).contains("'password'")
        .contains("string");
    assertThat(register("{\"username\":\"" + unique("carl") + "\",\"password\":\"secret-pw\",\"role\":\"admin\"}").error())
        .as("a registration cannot choose its role").contains("unknown field 'role'");
    assertThat(register("{\"username\":\"" + unique("carl") + "\",\"password\":\"secret-pw\",\"inviteCode\":\"NOPE\"}").error())
        .contains("'inviteCode'");
    Reply notJson = register("{nope");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(register("[1]").status()).isEqualTo(400);
    assertThat(api.call("POST", "/api/user/register", null, null).status()).isEqualTo(400);
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSame401() {
    String name = unique("carol");
    api.register(name, "secret-pw");

    Reply wrongPassword = api.call("POST", "/api/user/login", ManagementClient.json("username", name, "password", "nope-nope"), null);
    Reply unknownUser = api.call("POST", "/api/user/login", ManagementClient.json("username", unique("ghost"), "password", "nope-nope"), null);

    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(unknownUser.status()).isEqualTo(401);
    assertThat(wrongPassword.raw().body()).isEqualTo(unknownUser.raw().body());
    assertThat(api.login(name.toUpperCase(), "secret-pw")).as("usernames are case-insensitive").isNotBlank();
  }

  @Test
  void repeatedFailuresAreSlowedDownWithRetryAfter() {
    String name = unique("dave");
    api.register(name, "secret-pw");
    Reply last = null;
    for (int i = 0; i < 6; i++) {
      last = api.call("POST", "/api/user/login", ManagementClient.json("username", name, "password", "guess-" + i), null);
    }

    assertThat(last.status()).isEqualTo(429);
    assertThat(last.body().path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(last.raw().headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    Reply evenTheRightPassword = api.call("POST", "/api/user/login", ManagementClient.json("username", name, "password", "secret-pw"), null);
    assertThat(evenTheRightPassword.status()).as("while slowed down").isEqualTo(429);
  }

  @Test
  void sessionsThatAreMissingTamperedOrUnsignedAre401() {
    String token = api.register(unique("erin"), "secret-pw");
    String[] parts = token.split("\\.");
    String none = JWT.create().withIssuer("tollgate").withSubject("1").withClaim("ver", 0)
        .withExpiresAt(Instant.now().plusSeconds(3600)).sign(Algorithm.none());

    assertThat(api.call("GET", "/api/user/self", null, null).status()).isEqualTo(401);
    assertThat(api.call("GET", "/api/user/self", null, parts[0] + "." + parts[1] + ".AAAA" + parts[2].substring(4)).status())
        .isEqualTo(401);
    assertThat(api.call("GET", "/api/user/self", null, none).status()).as("alg none, root's id").isEqualTo(401);
    assertThat(api.call("GET", "/api/user/self", null, "garbage").status()).isEqualTo(401);
    assertThat(api.call("GET", "/api/user/self", null, token).status()).isEqualTo(200);
  }

  @Test
  void changingThePasswordNeedsTheCurrentOneAndEndsOlderSessions() {
    String name = unique("frank");
    String token = api.register(name, "secret-pw");

    Reply wrongCurrent = api.call("PUT", "/api/user/self", "{\"password\":\"new-secret\",\"currentPassword\":\"nope\"}", token);
    assertThat(wrongCurrent.status()).isEqualTo(403);
    assertThat(wrongCurrent.error()).contains("'currentPassword'");
    assertThat(api.call("PUT", "/api/user/self", "{\"password\":\"new-secret\"}", token).status()).isEqualTo(403);
    assertThat(api.call("PUT", "/api/user/self", "{\"password\":\"new\",\"currentPassword\":\"secret-pw\"}", token).error())
        .contains("'password'");

    Reply changed = api.call("PUT", "/api/user/self",
        "{\"password\":\"new-secret\",\"currentPassword\":\"secret-pw\",\"displayName\":\"Frank\"}", token);
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().path("displayName").asText()).isEqualTo("Frank");
    assertThat(api.call("GET", "/api/user/self", null, token).status()).as("the old session").isEqualTo(401);
    assertThat(api.call("POST", "/api/user/login", ManagementClient.json("username", name, "password", "secret-pw"), null).status())
        .isEqualTo(401);
    String fresh = api.login(name, "new-secret");
    assertThat(api.call("GET", "/api/user/self", null, fresh).body().path("displayName").asText()).isEqualTo("Frank");
  }

  @Test
  void anEmailTakenByAnotherAccountCannotBeMovedTo() {
    String first = unique("gina");
    api.call("POST", "/api/user/register", "{\"username\":\"" + first + "\",\"password\":\"secret-pw\",\"email\":\"" + first + "@x.io\"}", null);
    String token = api.register(unique("hank"), "secret-pw");

    Reply taken = api.call("PUT", "/api/user/self", "{\"email\":\"" + first + "@x.io\"}", token);
    assertThat(taken.status()).isEqualTo(409);
    assertThat(api.call("PUT", "/api/user/self", "{\"nickname\":\"x\"}", token).error()).contains("unknown field 'nickname'");
  }

  @Test
  void anInviteCodeCreditsBothSidesAndRecordsTheInviter(@TempDir Path otherDir) {
    try (TestGateway rewarding = TestGateway.start(otherDir, c -> c.withAccounts(
        new TollgateConfig.Accounts(false, 100L, 50L, 25L, null, null, TestGateway.ROOT_PASSWORD, null, null)))) {
      ManagementClient other = rewarding.api();
      String inviter = other.register("inviter", "secret-pw");
      String code = other.call("GET", "/api/user/self", null, inviter).body().path("inviteCode").asText();

      Reply invited = other.call("POST", "/api/user/register",
          "{\"username\":\"invitee\",\"password\":\"secret-pw\",\"inviteCode\":\"" + code.toLowerCase() + "\"}", null);

      assertThat(invited.status()).isEqualTo(201);
      assertThat(invited.body().path("user").path("quota").asLong()).as("start quota + invitee reward").isEqualTo(125);
      assertThat(other.call("GET", "/api/user/self", null, inviter).body().path("quota").asLong())
          .as("start quota + inviter reward").isEqualTo(150);
      long inviterId = rewarding.app().stores().users().findByUsername("inviter").orElseThrow().id();
      var invitee = rewarding.app().stores().users().findByUsername("invitee").orElseThrow();
      assertThat(invitee.inviterId()).isEqualTo(inviterId);
      assertThat(rewarding.app().stores().users().quotaJournal(invitee.id(), 10))
          .extracting(change -> change.kind() + ":" + change.amount())
          .containsExactlyInAnyOrder("signup:100000000", "invite:25000000");
      assertThat(rewarding.app().stores().users().quotaJournal(inviterId, 10))
          .extracting(change -> change.kind() + ":" + change.reason())
          .contains("invite:invited invitee");
    }
  }

  @Test
  void closedRegistrationRefusesSelfServiceButAdminsStillCreateUsers(@TempDir Path otherDir) {
    try (TestGateway closed = TestGateway.start(otherDir, c -> c.withAccounts(
        c.accounts().withRegistrationClosed(true)))) {
      ManagementClient other = closed.api();
      Reply refused = other.call("POST", "/api/user/register", ManagementClient.json("username", "nobody", "password", "secret-pw"), null);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.error()).contains("registration is closed");

      Reply created = other.call("POST", "/api/user", ManagementClient.json("username", "made", "password", "secret-pw"),
          TestGateway.ADMIN_TOKEN);
      assertThat(created.status()).isEqualTo(201);
      assertThat(other.login("made", "secret-pw")).isNotBlank();
    }
  }

  @Test
  void aConfiguredSessionSecretSignsTokensThatExpire(@TempDir Path otherDir) {
    String secret = "configured-session-secret-32-chars-long";
    try (TestGateway configured = TestGateway.start(otherDir, c -> c.withAccounts(
        new TollgateConfig.Accounts(false, null, null, null, null, secret, TestGateway.ROOT_PASSWORD, null, null)))) {
      ManagementClient other = configured.api();
      String token = other.login("root", TestGateway.ROOT_PASSWORD);
      assertThat(JWT.require(Algorithm.HMAC256(secret)).build().verify(token).getSubject()).isEqualTo("1");

      String expired = JWT.create().withIssuer("tollgate").withSubject("1").withClaim("ver", 0)
          .withIssuedAt(Instant.now().minusSeconds(8 * 24 * 3600)).withExpiresAt(Instant.now().minusSeconds(60))
          .sign(Algorithm.HMAC256(secret));
      String valid = JWT.create().withIssuer("tollgate").withSubject("1").withClaim("ver", 0)
          .withExpiresAt(Instant.now().plusSeconds(60)).sign(Algorithm.HMAC256(secret));
      assertThat(other.call("GET", "/api/user/self", null, expired).status()).isEqualTo(401);
      assertThat(other.call("GET", "/api/user/self", null, valid).status()).isEqualTo(200);
    }
  }

  @Test
  void theSessionSecretIsKeptAcrossRestartsSoSessionsSurviveThem(@TempDir Path otherDir) {
    try (TestDatabase.Scratch database = TestDatabase.selected().create(otherDir)) {
      String token;
      try (TestGateway first = TestGateway.start(otherDir, database, 1_500, 1_500)) {
        token = first.login("root", TestGateway.ROOT_PASSWORD);
      }
      try (TestGateway second = TestGateway.start(otherDir, database, 1_500, 1_500)) {
        assertThat(second.api().call("GET", "/api/user/self", null, token).status()).isEqualTo(200);
        assertThat(second.app().stores().users().count()).as("no second root").isEqualTo(1);
      }
    }
  }

  @Test
  void theRootAdminExistsFromTheFirstStartAndTheAdminTokenActsAsRoot() {
    Reply self = api.call("GET", "/api/user/self", null, TestGateway.ADMIN_TOKEN);

    assertThat(self.status()).isEqualTo(200);
    assertThat(self.body().path("username").asText()).isEqualTo("root");
    assertThat(self.body().path("role").asText()).isEqualTo("root");
  }

  @Test
  void aGeneratedRootPasswordIsPrintedOnceOnStandardOutputAndNeverLogged(@TempDir Path otherDir) {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    TestGateway generated;
    try {
      generated = TestGateway.start(otherDir, c -> c.withAccounts(c.accounts().withRootPassword(null)));
    } finally {
      System.setOut(original);
    }
    try (generated) {
      Matcher line = Pattern.compile("with the password: (\\S+)").matcher(printed.toString(StandardCharsets.UTF_8));
      assertThat(line.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
      String password = line.group(1);
      assertThat(password).hasSizeGreaterThanOrEqualTo(16);
      assertThat(generated.login("root", password)).isNotBlank();
      assertThat(logs.lines()).noneMatch(l -> l.contains(password));
    }
  }

  @Test
  void noLogLineHoldsAPasswordAHashOrASession() {
    String name = unique("quiet");
    String token = api.register(name, "logged-never-pw");
    api.call("POST", "/api/user/login", ManagementClient.json("username", name, "password", "wrong-logged-never"), null);
    api.call("POST", "/api/user/register", "{\"username\":\"" + name + "\",\"password\":\"logged-never-pw\"}", null);
    api.call("POST", "/api/user/register", "{\"username\":1,\"password\":\"logged-never-pw\"", null);
    api.call("PUT", "/api/user/self", "{\"password\":\"logged-never-new\",\"currentPassword\":\"logged-never-pw\"}", token);

    assertThat(logs.lines()).as("the capture works").isNotEmpty();
    assertThat(logs.lines()).noneMatch(l -> l.contains("logged-never") || l.contains(token) || l.contains("$argon2"));
  }

  @Test
  void aKeyOfAUserWorksOnTheRelay() {
    String name = unique("ivan");
    String token = api.register(name, "secret-pw");
    long id = api.call("GET", "/api/user/self", null, token).body().path("id").asLong();
    String key = gateway.app().stores().keyService().create(id, "k", null, null, null).key();

    assertThat(Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key,
        "{\"model\":\"mock-text\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
  }
}
