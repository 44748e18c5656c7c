package com.example.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import java.util.Map;
import org.apache.commons.lang3.StringUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Demo program for the stella-bench java-app image. */
public final class App {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {}

    public static void main(String[] args) throws Exception {
        Map<String, Object> out = ImmutableMap.of(
                "service", "stella-bench-java-app",
                "java", System.getProperty("java.version"),
                "args", StringUtils.join(args, ' '),
                "abbreviated", StringUtils.abbreviate("container image layers", 12));
        LOG.info("starting");
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }
}
