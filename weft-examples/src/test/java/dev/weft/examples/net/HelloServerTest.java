package dev.weft.examples.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.AsyncRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hello server, spoken to by a raw socket (so every byte of the answers is checked) and by
 * the JDK's HTTP client. The expected answers are written out here, not taken from the server.
 */
class HelloServerTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 13\r\n\r\nHello, World!";
    private static final String GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private AsyncRuntime runtime;
    private HelloServer server;
    private Socket client;

    @BeforeEach
    void start() throws IOException {
        runtime = AsyncRuntime.builder().workerThreads(2).build();
        server = HelloServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        runtime.spawn(server.serve());
        client = new Socket();
        client.connect(server.address());
        client.setSoTimeout(20_000);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
        // The JDK client keeps its connection open, and its task waiting for the next request:
        // no grace period, the shutdown cancels it and closes the socket.
        runtime.shutdown(Duration.ZERO);
    }

    private void send(String text) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads exactly as many bytes as {@code expected} has, as text. */
    private String receive(String expected) throws IOException {
        InputStream in = client.getInputStream();
        byte[] bytes = in.readNBytes(expected.length());
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private String receiveUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        client.getInputStream().transferTo(all);
        return all.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void answersRequestsOneAfterTheOther_onOneConnection() throws IOException {
        for (int i = 0; i < 3; i++) {
            send(GET);
            assertThat(receive(OK)).isEqualTo(OK);
        }
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void answersPipelinedRequestsInOrder() throws IOException {
        send(GET + "GET /missing HTTP/1.1\r\n\r\n" + GET);
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 9\r\n\r\nNot Found";
        assertThat(receive(OK + notFound + OK)).isEqualTo(OK + notFound + OK);
    }

    @Test
    void answersARequestThatArrivesInPieces() throws IOException {
        for (char c : GET.toCharArray()) {
            send(String.valueOf(c));
        }
        assertThat(receive(OK)).isEqualTo(OK);
    }

    @Test
    void manyPipelinedRequests_fillTheBuffersAndAreAllAnswered() throws IOException {
        int count = 2_000; // about 70 KB of requests and 150 KB of answers
        Thread sender = new Thread(() -> {
            try {
                send(GET.repeat(count));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        sender.start();
        assertThat(receive(OK.repeat(count))).isEqualTo(OK.repeat(count));
        assertThat(server.requests()).isEqualTo(count);
    }

    @Test
    void skipsARequestBody() throws IOException {
        send("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + GET);
        assertThat(receive(OK + OK)).isEqualTo(OK + OK);
    }

    @Test
    void connectionClose_isHonoured() throws IOException {
        send("GET / HTTP/1.1\r\nCONNECTION: Close\r\n\r\n");
        assertThat(receiveUntilClosed()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain"
                + "\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, World!");
    }

    @Test
    void http10_closesUnlessAskedToKeepAlive() throws IOException {
        send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        String keptAlive = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13"
                + "\r\nConnection: keep-alive\r\n\r\nHello, World!";
        assertThat(receive(keptAlive)).isEqualTo(keptAlive);
        send("GET / HTTP/1.0\r\n\r\n");
        assertThat(receiveUntilClosed()).contains("Connection: close\r\n");
    }

    @Test
    void head_getsTheHeadersAlone() throws IOException {
        send("HEAD / HTTP/1.1\r\n\r\n" + GET);
        String head = OK.substring(0, OK.length() - "Hello, World!".length());
        assertThat(receive(head + OK)).isEqualTo(head + OK);
    }

    @Test
    void anotherMethod_is405_andTheConnectionGoesOn() throws IOException {
        send("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi" + GET);
        String notAllowed = "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 18\r\nAllow: GET, HEAD\r\n\r\nMethod Not Allowed";
        assertThat(receive(notAllowed + OK)).isEqualTo(notAllowed + OK);
    }

    @Test
    void aMalformedRequestLine_is400_andCloses() throws IOException {
        send("hello\r\n\r\n");
        assertThat(receiveUntilClosed()).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .contains("Connection: close\r\n");
    }

    @Test
    void aChunkedBody_is501_andCloses() throws IOException {
        send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(receiveUntilClosed()).startsWith("HTTP/1.1 501 Not Implemented\r\n");
    }

    @Test
    void aHeadTooLarge_is431_andCloses() throws IOException {
        send("GET / HTTP/1.1\r\nX-Padding: " + "x".repeat(HelloServer.MAX_HEAD_BYTES) + "\r\n\r\n");
        assertThat(receiveUntilClosed())
                .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
    }

    @Test
    void theJdkHttpClient_getsHello() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello, World!");
        }
        assertThat(server.connections()).isEqualTo(2); // the test's socket, and the client's one
    }
}
