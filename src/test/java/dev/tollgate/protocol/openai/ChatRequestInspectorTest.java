package dev.tollgate.protocol.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRequestInspectorTest {

  private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  /** Strict: an upstream in a language whose JSON decoder rejects duplicate keys must accept it. */
  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private static ChatRequestFacts inspect(String body) {
    return ChatRequestInspector.inspect(body.getBytes(UTF_8));
  }

  private static JsonNode parse(byte[] json) {
    try {
      return STRICT_JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not valid JSON (" + e.getMessage() + "): " + new String(json, UTF_8), e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ChatRequestInspectorTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  // --- validation ---------------------------------------------------------------------------

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of("not an object", "[1,2]", null, "must be a JSON object"),
        Arguments.of("a bare string", "\"hello\"", null, "must be a JSON object"),
        Arguments.of("empty body", "", null, "must be a JSON object"),
        Arguments.of("malformed JSON", "{\"model\":\"m\",", null, "not valid JSON"),
        Arguments.of("unquoted key", "{model:\"m\"}", null, "not valid JSON"),
        Arguments.of("missing model", "{" + MESSAGES + "}", "model", "'model' is required"),
        Arguments.of("model not a string", "{\"model\":42," + MESSAGES + "}", "model", "'model' must be a non-empty string"),
        Arguments.of("model null", "{\"model\":null," + MESSAGES + "}", "model", "'model' must be a non-empty string"),
        Arguments.of("model blank", "{\"model\":\"  \"," + MESSAGES + "}", "model", "'model' must be a non-empty string"),
        Arguments.of("missing messages", "{\"model\":\"m\"}", "messages", "'messages' is required"),
        Arguments.of("messages not array", "{\"model\":\"m\",\"messages\":{\"role\":\"user\"}}", "messages", "must be an array"),
        Arguments.of("messages null", "{\"model\":\"m\",\"messages\":null}", "messages", "must be an array"),
        Arguments.of("messages empty", "{\"model\":\"m\",\"messages\":[]}", "messages", "must not be empty"),
        Arguments.of("message not object", "{\"model\":\"m\",\"messages\":[\"hi\"]}", "messages", "messages[0] must be an object"),
        Arguments.of("second message missing role", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"content\":\"b\"}]}", "messages", "messages[1] needs a 'role'"),
        Arguments.of("role not string", "{\"model\":\"m\",\"messages\":[{\"role\":1,\"content\":\"a\"}]}", "messages", "messages[0].role must be a string"),
        Arguments.of("stream not boolean", "{\"model\":\"m\"," + MESSAGES + ",\"stream\":\"true\"}", "stream", "'stream' must be a boolean"),
        Arguments.of("stream_options not object", "{\"model\":\"m\"," + MESSAGES + ",\"stream_options\":true}", "stream_options", "'stream_options' must be an object"),
        Arguments.of("include_usage not boolean", "{\"model\":\"m\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":1}}", "stream_options.include_usage", "must be a boolean"),
        Arguments.of("max_tokens zero", "{\"model\":\"m\"," + MESSAGES + ",\"max_tokens\":0}", "max_tokens", "'max_tokens' must be at least 1"),
        Arguments.of("max_tokens negative", "{\"model\":\"m\"," + MESSAGES + ",\"max_tokens\":-5}", "max_tokens", "'max_tokens' must be at least 1"),
        Arguments.of("max_tokens fractional", "{\"model\":\"m\"," + MESSAGES + ",\"max_tokens\":1.5}", "max_tokens", "'max_tokens' must be an integer"),
        Arguments.of("max_tokens string", "{\"model\":\"m\"," + MESSAGES + ",\"max_tokens\":\"10\"}", "max_tokens", "'max_tokens' must be an integer"),
        Arguments.of("max_completion_tokens zero", "{\"model\":\"m\"," + MESSAGES + ",\"max_completion_tokens\":0}", "max_completion_tokens", "must be at least 1"),
        Arguments.of("n zero", "{\"model\":\"m\"," + MESSAGES + ",\"n\":0}", "n", "'n' must be at least 1"),
        Arguments.of("temperature as string", "{\"model\":\"m\"," + MESSAGES + ",\"temperature\":\"0.5\"}", "temperature", "'temperature' must be a number"),
        Arguments.of("top_p as boolean", "{\"model\":\"m\"," + MESSAGES + ",\"top_p\":true}", "top_p", "'top_p' must be a number"),
        Arguments.of("tools not array", "{\"model\":\"m\"," + MESSAGES + ",\"tools\":{\"type\":\"function\"}}", "tools", "'tools' must be an array"),
        Arguments.of("trailing garbage", "{\"model\":\"m\"," + MESSAGES + "} trailing", null, "not valid JSON"),
        Arguments.of("second object after the first", "{\"model\":\"m\"," + MESSAGES + "}{}", null, "not valid JSON"),
        Arguments.of("truncated after messages", "{\"model\":\"m\"," + MESSAGES, null, "not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidRequestIsRejectedNamingTheField(String why, String body, String param, String message) {
    assertThatThrownBy(() -> inspect(body))
        .isInstanceOfSatisfying(GatewayError.Failure.class, failure -> {
          GatewayError error = failure.error();
          assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
          assertThat(error.status()).isEqualTo(400);
          assertThat(error.param()).isEqualTo(param);
          assertThat(error.message()).contains(message);
        });
  }

  @Test
  void malformedJsonMessageDoesNotEchoTheBody() {
    String secret = "sk-verysecretvalue";
    assertThatThrownBy(() -> inspect("{\"model\":\"m\",\"messages\":[{\"content\":\"" + secret + "\" oops}]}"))
        .isInstanceOfSatisfying(GatewayError.Failure.class, failure -> {
          assertThat(failure.error().message()).startsWith("the request body is not valid JSON");
          assertThat(failure.error().message()).doesNotContain(secret).doesNotContain("\n");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"temperature\":null", "\"max_tokens\":null", "\"stream\":null", "\"tools\":null", "\"tools\":[]",
      "\"max_tokens\":12345678901234567890", "\"temperature\":0", "\"temperature\":1.5e0",
      "\"stream_options\":null", "\"unknown\":{\"deep\":[1,{\"x\":null}]}"})
  void acceptableFieldValuesPass(String member) {
    ChatRequestFacts facts = inspect("{\"model\":\"m\"," + MESSAGES + "," + member + "}");

    assertThat(facts.model()).isEqualTo("m");
  }

  @Test
  void factsReportModelAndStreamFlags() {
    ChatRequestFacts facts =
        inspect("{\"model\":\"gpt-4o\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    assertThat(facts.model()).isEqualTo("gpt-4o");
    assertThat(facts.stream()).isTrue();
    assertThat(facts.clientWantsUsage()).isTrue();
  }

  @Test
  void modelWithJsonEscapesIsReadDecoded() {
    ChatRequestFacts facts = inspect("{\"model\":\"gpt\\u002d4o\\\"x\"," + MESSAGES + "}");

    assertThat(facts.model()).isEqualTo("gpt-4o\"x");
  }

  // --- upstream body: untouched --------------------------------------------------------------

  @Test
  void bodyIsReturnedAsTheSameBytesWhenThereIsNothingToEdit() {
    byte[] body = ("{\"model\":\"gpt-4o\"," + MESSAGES + ",\"temperature\":1.0}").getBytes(UTF_8);

    byte[] upstream = ChatRequestInspector.inspect(body).upstreamBody("gpt-4o");

    assertThat(upstream).isSameAs(body);
  }

  @Test
  void streamWhoseClientAskedForUsageIsReturnedAsTheSameBytes() {
    byte[] body = ("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + MESSAGES + "}").getBytes(UTF_8);

    assertThat(ChatRequestInspector.inspect(body).upstreamBody("m")).isSameAs(body);
  }

  @Test
  void nonStreamRequestGetsNoStreamOptions() {
    byte[] body = ("{\"model\":\"m\",\"stream\":false," + MESSAGES + "}").getBytes(UTF_8);

    assertThat(ChatRequestInspector.inspect(body).upstreamBody("m")).isSameAs(body);
  }

  // --- upstream body: model renamed ----------------------------------------------------------

  @Test
  void renamedModelLeavesEveryOtherByteIdentical() {
    String body = "{\"temperature\":1.0,\"top_p\":1e2,\"seed\":12345678901234567890,\"model\":\"gpt-4o\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 h\u00e9llo \\ud83c\\udf0d \u4f60\u597d\"}],"
        + "\"x_unknown\":{\"nested\":[1,2.50,-0.0,null]},\"z\":\"gpt-4o\"}";

    byte[] upstream = inspect(body).upstreamBody("gpt-4o-2024-08-06");

    String expected = body.replace("\"model\":\"gpt-4o\"", "\"model\":\"gpt-4o-2024-08-06\"");
    assertThat(text(upstream)).isEqualTo(expected);
    assertThat(parse(upstream).get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(parse(upstream).get("z").asText()).isEqualTo("gpt-4o");
  }

  @Test
  void prettyPrintedRequestKeepsItsLayoutAndNumbers() throws IOException {
    String body = resource("pretty-request.json");

    byte[] upstream = inspect(body).upstreamBody("upstream-model");

    JsonNode tree = parse(upstream);
    assertThat(tree.get("model").asText()).isEqualTo("upstream-model");
    assertThat(tree.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(tree.at("/stream_options/x_vendor/1").decimalValue()).isEqualByComparingTo("2.50");
    assertThat(tree.get("seed").bigIntegerValue()).hasToString("12345678901234567890");
    assertThat(tree.at("/reasoning/future_field").asBoolean()).isTrue();
    // Everything but the two edits is the client's text, whitespace and number forms included.
    String withoutOurMember = text(upstream).replace("\"include_usage\":true,", "");
    assertThat(withoutOurMember)
        .isEqualTo(body.replace("\"model\"   :   \"gpt-4o\"", "\"model\"   :   \"upstream-model\""));
    assertThat(text(upstream)).contains("1.0", "1e2", "2.50", "12345678901234567890", "\\u00e9", "\\ud83c\\udf0d");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\"quoted\"model", "back\\slash", "模型/ü-🌍", "tab\there", "line\nbreak", "ctl\u0001"})
  void modelNamesNeedingJsonEscapingStayValid(String upstreamModel) {
    byte[] upstream = inspect("{\"model\":\"m\"," + MESSAGES + "}").upstreamBody(upstreamModel);

    assertThat(parse(upstream).get("model").asText()).isEqualTo(upstreamModel);
  }

  @Test
  void escapedModelTokenIsReplacedWhole() {
    String body = "{\"model\":\"gpt\\u002d4o\"," + MESSAGES + "}";

    byte[] upstream = inspect(body).upstreamBody("other");

    assertThat(text(upstream)).isEqualTo("{\"model\":\"other\"," + MESSAGES + "}");
  }

  @Test
  void withDuplicateModelKeysTheLastOneWinsAndIsTheOneEdited() {
    String body = "{\"model\":\"first\"," + MESSAGES + ",\"model\":\"second\"}";
    ChatRequestFacts facts = inspect(body);

    byte[] upstream = facts.upstreamBody("mapped");

    assertThat(facts.model()).isEqualTo("second");
    assertThat(text(upstream)).isEqualTo("{\"model\":\"first\"," + MESSAGES + ",\"model\":\"mapped\"}");
  }

  // --- upstream body: usage forced on streams ------------------------------------------------

  @Test
  void streamWithoutStreamOptionsGetsIncludeUsage() {
    String body = "{\"model\":\"m\"," + MESSAGES + ",\"stream\":true}";
    ChatRequestFacts facts = inspect(body);

    byte[] upstream = facts.upstreamBody("m");

    assertThat(facts.clientWantsUsage()).isFalse();
    JsonNode tree = parse(upstream);
    assertThat(tree.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(tree.get("stream").asBoolean()).isTrue();
    assertThat(tree.get("model").asText()).isEqualTo("m");
    assertThat(text(upstream).replace("\"stream_options\":{\"include_usage\":true},", "")).isEqualTo(body);
  }

  @Test
  void streamWithoutStreamOptionsGetsIncludeUsageAndRename() {
    String body = "  {  \"model\":\"m\"," + MESSAGES + ",\"stream\":true}  ";

    byte[] upstream = inspect(body).upstreamBody("renamed");

    JsonNode tree = parse(upstream);
    assertThat(tree.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(tree.get("model").asText()).isEqualTo("renamed");
  }

  static Stream<Arguments> clientStreamOptions() {
    return Stream.of(
        Arguments.of("null", "{\"include_usage\":true}"),
        Arguments.of("{}", "{\"include_usage\":true}"),
        Arguments.of("{ }", "{\"include_usage\":true}"),
        Arguments.of("{\"include_usage\":false}", "{\"include_usage\":true}"),
        Arguments.of("{\"include_usage\":null}", "{\"include_usage\":true}"),
        Arguments.of("{\"include_usage\":false,\"x\":1}", "{\"include_usage\":true,\"x\":1}"),
        Arguments.of("{\"x\":{\"include_usage\":false},\"include_usage\" : false}", "{\"include_usage\":true,\"x\":{\"include_usage\":false}}"),
        Arguments.of("{\"x\":1}", "{\"include_usage\":true,\"x\":1}"));
  }

  @ParameterizedTest(name = "stream_options {0}")
  @MethodSource("clientStreamOptions")
  void clientStreamOptionsGetIncludeUsageWithoutLosingTheirOwnOptions(String options, String expected) throws IOException {
    for (String body : new String[] {
        "{\"model\":\"m\"," + MESSAGES + ",\"stream\":true,\"stream_options\":" + options + "}",
        "{\"stream_options\":" + options + ",\"stream\":true,\"model\":\"m\"," + MESSAGES + "}"}) {
      ChatRequestFacts facts = inspect(body);
      assertThat(facts.clientWantsUsage()).isFalse();

      for (String model : new String[] {"m", "renamed-model"}) {
        byte[] upstream = facts.upstreamBody(model);

        JsonNode tree = parse(upstream);
        assertThat(tree.get("stream_options")).as(body).isEqualTo(STRICT_JSON.readTree(expected));
        assertThat(tree.get("model").asText()).isEqualTo(model);
        assertThat(tree.get("messages")).isEqualTo(STRICT_JSON.readTree("[{\"role\":\"user\",\"content\":\"hi\"}]"));
        assertThat(tree.get("stream").asBoolean()).isTrue();
      }
    }
  }

  @Test
  void streamOptionsBeforeModelAreBothEditedInPlace() {
    String body = "{\"stream\":true,\"stream_options\":{\"x\":1},\"model\":\"m\"," + MESSAGES + "}";

    byte[] upstream = inspect(body).upstreamBody("mapped");

    assertThat(text(upstream))
        .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true,\"x\":1},\"model\":\"mapped\"," + MESSAGES + "}");
  }

  @Test
  void streamOptionsAfterModelAreBothEditedInPlace() {
    String body = "{\"model\":\"m\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{}}";

    byte[] upstream = inspect(body).upstreamBody("mapped");

    assertThat(text(upstream))
        .isEqualTo("{\"model\":\"mapped\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
  }

  @Test
  void withDuplicateStreamOptionsTheLastOneWinsAndIsTheOneEdited() throws IOException {
    String body = "{\"model\":\"m\",\"stream_options\":{\"include_usage\":true}," + MESSAGES
        + ",\"stream\":true,\"stream_options\":{\"include_usage\":false}}";
    ChatRequestFacts facts = inspect(body);

    byte[] upstream = facts.upstreamBody("m");

    assertThat(facts.clientWantsUsage()).isFalse();
    assertThat(text(upstream)).isEqualTo(body.replace("{\"include_usage\":false}", "{\"include_usage\":true}"));
    assertThat(new ObjectMapper().readTree(upstream).at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  // --- byte order mark -----------------------------------------------------------------------

  @Test
  void leadingByteOrderMarkIsStrippedEvenWithNothingElseToEdit() {
    String json = "{\"model\":\"m\"," + MESSAGES + "}";
    byte[] body = ("\uFEFF" + json).getBytes(UTF_8);

    ChatRequestFacts facts = ChatRequestInspector.inspect(body);

    assertThat(facts.model()).isEqualTo("m");
    assertThat(text(facts.upstreamBody("m"))).isEqualTo(json);
  }

  @Test
  void leadingByteOrderMarkIsStrippedWhileEditing() {
    String json = "{\"model\":\"m\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":false}}";
    byte[] body = ("\uFEFF" + json).getBytes(UTF_8);

    byte[] upstream = ChatRequestInspector.inspect(body).upstreamBody("mapped");

    assertThat(text(upstream))
        .isEqualTo("{\"model\":\"mapped\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
  }

  @Test
  void leadingByteOrderMarkWithStreamGetsStreamOptionsInTheRightPlace() {
    String json = "{\"model\":\"m\"," + MESSAGES + ",\"stream\":true}";
    byte[] body = ("\uFEFF" + json).getBytes(UTF_8);

    byte[] upstream = ChatRequestInspector.inspect(body).upstreamBody("m");

    assertThat(text(upstream)).isEqualTo("{\"stream_options\":{\"include_usage\":true}," + json.substring(1));
  }

  @Test
  void aBase64ImageLargerThanJacksonsDefaultStringCapIsAccepted() {
    String image = "data:image/png;base64," + "A".repeat(21 * 1024 * 1024);
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"" + image + "\"}}]}]}";

    assertThat(ChatRequestInspector.inspect(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).model()).isEqualTo("m");
  }
}
