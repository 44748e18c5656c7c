package com.example.launcher;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * A minimal stand-in for Spring Boot's JarLauncher: copies BOOT-INF/lib/*.jar out of the running
 * jar into a temporary directory, then runs the manifest's Start-Class with BOOT-INF/classes/ and
 * those jars on a new class path.
 */
public final class NestedJarLauncher {
    private NestedJarLauncher() {}

    public static void main(String[] args) throws Exception {
        Path self = Path.of(NestedJarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path tmp = Files.createTempDirectory("boot-lib");
        List<URL> urls = new ArrayList<>();
        String startClass;
        try (JarFile jar = new JarFile(self.toFile())) {
            Manifest mf = jar.getManifest();
            startClass = mf.getMainAttributes().getValue("Start-Class");
            urls.add(new URL("jar:" + self.toUri() + "!/BOOT-INF/classes/"));
            for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements();) {
                ZipEntry z = e.nextElement();
                if (z.getName().startsWith("BOOT-INF/lib/") && z.getName().endsWith(".jar")) {
                    Path out = tmp.resolve(z.getName().substring("BOOT-INF/lib/".length()));
                    try (InputStream in = jar.getInputStream(z)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    out.toFile().deleteOnExit();
                    urls.add(out.toUri().toURL());
                }
            }
        }
        tmp.toFile().deleteOnExit();
        ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), NestedJarLauncher.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(cl);
        Method main = Class.forName(startClass, true, cl).getMethod("main", String[].class);
        main.invoke(null, (Object) args);
    }
}
