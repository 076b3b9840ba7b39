package dev.tollgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * What the codecs that read client bodies as trees share (embeddings, media): one mapper setup,
 * and the 400s for a body that is not a JSON object. Each codec builds its own mapper from
 * {@link #newMapper()}: a mapper registers itself on its factory, so they are not shared.
 */
public final class JsonBodies {

  private JsonBodies() {}

  /** The body limit is the real bound on sizes, and no source is quoted in errors. */
  public static JsonMapper newMapper() {
    return JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** A client's body as a JSON object (after any byte-order mark), or a 400 naming what is wrong with it. */
  public static JsonNode requestObject(JsonMapper mapper, byte[] body) {
    JsonNode root;
    try {
      int start = JsonScan.bomLength(body);
      root = mapper.readTree(body, start, body.length - start);
    } catch (JsonProcessingException e) {
      throw invalid("the request body is not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw invalid("the request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw invalid("the request body must be a JSON object");
    }
    return root;
  }

  /** A field's value, or null when absent or JSON null (protocols.md §6.26: SDKs send null for "not given"). */
  public static JsonNode field(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /** A streaming parser over a body, after any byte-order mark (offsets count from there). */
  public static JsonParser parser(JsonMapper mapper, byte[] body) throws IOException {
    int start = JsonScan.bomLength(body);
    return mapper.getFactory().createParser(body, start, body.length - start);
  }

  /** The first line of a parser's message: the rest quotes the input. */
  public static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int cut = message.indexOf('\n');
    return cut < 0 ? message : message.substring(0, cut);
  }

  private static GatewayError.Failure invalid(String message) {
    return new GatewayError.Failure(GatewayError.invalid(null, message));
  }
}
