package org.demi.web.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * How every JSON document Demi writes is written (the API, {@code report}, {@code search},
 * {@code mirror status}, {@code inspect}): indented, and with snake_case names, as the CSV
 * headers and the search fields are spelled, whether a name comes from a map key or a record.
 */
public final class Json {
    /** Thread-safe once configured, as Jackson's mappers are. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Json() {
    }
}
