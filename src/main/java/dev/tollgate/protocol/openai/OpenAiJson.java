package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/** The one JSON factory of the OpenAI codec. */
final class OpenAiJson {

  /**
   * Jackson caps strings at 20 MB by default, below the 32 MB body limit: a request carrying one
   * large base64 image would be called invalid JSON. The body limit is the real bound, so the
   * string cap is lifted. Error locations never quote the source: bodies must not reach messages.
   */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  private OpenAiJson() {}
}
