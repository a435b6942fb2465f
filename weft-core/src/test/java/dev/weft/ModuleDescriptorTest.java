package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module exports the public surface only, and needs nothing but the JDK: its base,
 * the management beans for the collectors' figures, and the flight recorder for its events.
 */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyThePublicPackages_andRequiresOnlyJdkModules() throws IOException {
        Path classes = Path.of(AsyncRuntime.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.name()).isEqualTo("dev.weft");
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.weft", "dev.weft.time", "dev.weft.net",
                        "dev.weft.sync", "dev.weft.buffer");
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "java.management", "jdk.jfr");
    }
}
