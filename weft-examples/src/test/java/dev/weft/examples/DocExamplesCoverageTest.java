package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Java example in the README and the guide names the test that runs it, in an HTML comment
 * on the line before its block ({@code <!-- example: GuideExamplesTest#timers -->}), and that test
 * exists: so an example cannot be added, or its test removed, without the other.
 */
class DocExamplesCoverageTest {

    private static final Pattern NAMED = Pattern.compile("<!-- example: (\\w+)#(\\w+) -->");

    /** The project's root: the parent of this module, where the tests run. */
    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) ? here : here.getParent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/guide.md"})
    void everyJavaExample_namesATestThatExists(String document)
            throws IOException, ClassNotFoundException {
        List<String> lines = Files.readAllLines(root().resolve(document));
        List<String> unnamed = new ArrayList<>();
        int examples = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals("```java")) {
                continue;
            }
            examples++;
            Matcher named = i > 0 ? NAMED.matcher(lines.get(i - 1).trim()) : null;
            if (named == null || !named.matches()) {
                unnamed.add(document + ":" + (i + 1));
                continue;
            }
            Class<?> test = Class.forName(getClass().getPackageName() + "." + named.group(1));
            Method method = findMethod(test, named.group(2));
            assertThat(method).as("%s:%d names %s#%s, which does not exist",
                    document, i + 1, named.group(1), named.group(2)).isNotNull();
            assertThat(method.isAnnotationPresent(Test.class))
                    .as("%s#%s is a @Test", named.group(1), named.group(2)).isTrue();
        }
        assertThat(examples).as("Java examples in %s", document).isPositive();
        assertThat(unnamed)
                .as("Java examples without a '<!-- example: Test#method -->' line before them")
                .isEmpty();
    }

    private static Method findMethod(Class<?> test, String name) {
        for (Method m : test.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }
}
