package com.example.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import org.apache.commons.lang3.StringUtils;

/** Start-Class of demo-boot.jar: uses only the two jars nested in BOOT-INF/lib. */
public final class BootApp {
    private BootApp() {}

    public static void main(String[] args) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("service", "stella-bench-boot-app");
            g.writeStringField("upper", StringUtils.upperCase("nested jars"));
            g.writeEndObject();
        }
        System.out.println(w);
    }
}
