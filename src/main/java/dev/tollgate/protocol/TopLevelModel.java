package dev.tollgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Renames the top-level {@code "model"} of a JSON body in place, every other byte untouched (key
 * order, number formats, unknown fields): the one edit a same-protocol passthrough makes. With
 * duplicate keys the last one is edited, the one parsers keep.
 */
public final class TopLevelModel implements PassthroughBody {

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build();

  private final byte[] body;
  private final String model;
  private final int start;
  private final int end;

  private TopLevelModel(byte[] body, String model, int start, int end) {
    this.body = body;
    this.model = model;
    this.start = start;
    this.end = end;
  }

  /** Locates the model value; a body without one (Gemini's: the model is in the URL) is sent as is. */
  public static TopLevelModel of(byte[] body) {
    String model = null;
    int start = -1;
    int end = -1;
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if ("model".equals(field) && value == JsonToken.VALUE_STRING) {
            start = (int) parser.currentTokenLocation().getByteOffset();
            model = parser.getText();
            end = (int) parser.currentLocation().getByteOffset();
          } else {
            parser.skipChildren();
          }
        }
      }
    } catch (IOException e) {
      return new TopLevelModel(body, null, -1, -1); // decoding already validated it; send as is
    }
    return new TopLevelModel(body, model, start, end);
  }

  @Override
  public byte[] upstreamBody(String upstreamModel) {
    if (model == null || model.equals(upstreamModel)) {
      return body;
    }
    byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(upstreamModel);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + quoted.length);
    out.write(body, 0, start);
    out.write('"');
    out.write(quoted, 0, quoted.length);
    out.write('"');
    out.write(body, end, body.length - end);
    return out.toByteArray();
  }
}
