package dev.weft.examples.net;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small HTTP/1.1 server that answers {@code GET /} with "Hello, World!": a showcase of
 * {@code dev.weft.net}, not a framework. Connections are kept alive (HTTP/1.1's default, and
 * HTTP/1.0's with {@code Connection: keep-alive}), and pipelined requests are answered in order,
 * all the answers to one read going out in one write.
 *
 * <p>What it understands: a request line and headers of at most {@value #MAX_HEAD_BYTES} bytes
 * (more is answered 431 and the connection closed); a body of {@code Content-Length} bytes,
 * skipped; {@code Connection: close}. {@code HEAD /} gets the headers alone; another path 404;
 * another method 405; a chunked body 501, and a malformed request line 400, both closing the
 * connection.
 *
 * <pre>{@code
 * try (AsyncRuntime runtime = AsyncRuntime.builder().build();
 *      HelloServer server = HelloServer.bind(new InetSocketAddress("127.0.0.1", 8080))) {
 *     runtime.blockOn(server.serve());
 * }
 * }</pre>
 */
public final class HelloServer extends TcpServer {

    /** The longest request head (request line and headers) the server reads. */
    static final int MAX_HEAD_BYTES = 8 * 1024;

    /** The body of every 200 answer. */
    static final String HELLO = "Hello, World!";

    private static final ByteBuffer OK = answer("200 OK", HELLO, "");
    private static final ByteBuffer OK_HEAD = head(OK);
    private static final ByteBuffer OK_KEEP_ALIVE = answer("200 OK", HELLO,
            "Connection: keep-alive\r\n");
    private static final ByteBuffer OK_CLOSE = answer("200 OK", HELLO, "Connection: close\r\n");
    private static final ByteBuffer NOT_FOUND = answer("404 Not Found", "Not Found", "");
    private static final ByteBuffer NOT_ALLOWED = answer("405 Method Not Allowed",
            "Method Not Allowed", "Allow: GET, HEAD\r\n");
    private static final ByteBuffer BAD_REQUEST = answer("400 Bad Request", "Bad Request",
            "Connection: close\r\n");
    private static final ByteBuffer TOO_LARGE = answer("431 Request Header Fields Too Large",
            "Request Header Fields Too Large", "Connection: close\r\n");
    private static final ByteBuffer NOT_IMPLEMENTED = answer("501 Not Implemented",
            "Not Implemented", "Connection: close\r\n");

    private static final byte[] CONNECTION = bytes("connection:");
    private static final byte[] CONTENT_LENGTH = bytes("content-length:");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding:");
    private static final byte[] CLOSE = bytes("close");
    private static final byte[] KEEP_ALIVE = bytes("keep-alive");

    private final LongAdder requests = new LongAdder();

    private HelloServer(TcpListener listener) {
        super(listener);
    }

    /**
     * Binds the server's listening socket.
     *
     * @param address where to listen; port 0 for an ephemeral port
     * @return the server, not yet accepting: spawn {@link #serve()}
     * @throws IOException if the address cannot be bound
     */
    public static HelloServer bind(SocketAddress address) throws IOException {
        return new HelloServer(TcpListener.bind(address, 1024));
    }

    @Override
    protected Future<Void> connection(TcpStream stream) {
        return buffers().withBuffer(MAX_HEAD_BYTES, in -> buffers().withBuffer(4 * MAX_HEAD_BYTES,
                out -> new Connection(stream, in.buffer(), out.buffer(), requests)));
    }

    /**
     * Returns how many requests the server has answered.
     *
     * @return requests answered so far, whatever the status
     */
    public long requests() {
        return requests.sum();
    }

    /**
     * Serves one connection: reads requests into {@code in}, appends each complete request's
     * answer to {@code out}, writes {@code out} whole, reads again.
     */
    private static final class Connection implements Future<Void> {
        private final TcpStream stream;
        private final LongAdder requests;
        /** Bytes read and not yet answered occupy [0, position); pooled, direct. */
        private final ByteBuffer in;
        /** Answers not yet written; pooled, direct. */
        private final ByteBuffer out;
        /** Where the search for the end of the head resumes, so no byte is scanned twice. */
        private int scanned;
        /** Body bytes still to skip, of a request already answered. */
        private long skip;
        private boolean writing;
        private boolean closeAfterWrite;

        Connection(TcpStream stream, ByteBuffer in, ByteBuffer out, LongAdder requests) {
            this.stream = stream;
            this.in = in;
            this.out = out;
            this.requests = requests;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                return serve(cx);
            } catch (UncheckedIOException e) {
                // The client reset or vanished: the connection is over, the server is not.
                stream.close();
                return Poll.ready(null);
            }
        }

        private Poll<Void> serve(Context cx) {
            while (true) {
                if (writing) {
                    while (out.hasRemaining()) {
                        if (!stream.pollWrite(cx, out).isReady()) {
                            return Poll.pending();
                        }
                    }
                    out.clear();
                    writing = false;
                    if (closeAfterWrite) {
                        stream.close();
                        return Poll.ready(null);
                    }
                }
                answerCompleteRequests();
                if (out.position() > 0) {
                    out.flip();
                    writing = true;
                    continue;
                }
                if (!in.hasRemaining()) {
                    closeWith(TOO_LARGE);
                    requests.increment();
                    out.flip();
                    writing = true;
                    continue;
                }
                Poll<Integer> read = stream.pollRead(cx, in);
                if (!read.isReady()) {
                    return Poll.pending();
                }
                if (read.value() < 0) {
                    stream.close();
                    return Poll.ready(null);
                }
            }
        }

        /**
         * Answers every complete request in {@code in} while {@code out} has room, then moves
         * what is left of {@code in} to its front.
         */
        private void answerCompleteRequests() {
            int start = 0;
            int end = in.position();
            while (!closeAfterWrite) {
                if (skip > 0) {
                    int skipped = (int) Math.min(skip, end - start);
                    start += skipped;
                    skip -= skipped;
                    if (skip > 0) {
                        break;
                    }
                }
                if (out.remaining() < MAX_HEAD_BYTES) {
                    break;
                }
                int headEnd = endOfHead(Math.max(start, scanned), end);
                if (headEnd < 0) {
                    scanned = Math.max(start, end - 3);
                    break;
                }
                answer(start, headEnd);
                requests.increment();
                start = headEnd;
                scanned = start;
            }
            in.limit(end).position(start);
            in.compact();
            scanned -= start;
        }

        /** Returns the index just past the blank line ending a head in [from, to), or -1. */
        private int endOfHead(int from, int to) {
            for (int i = from; i + 3 < to; i++) {
                if (in.get(i + 3) == '\n' && in.get(i + 2) == '\r' && in.get(i + 1) == '\n'
                        && in.get(i) == '\r') {
                    return i + 4;
                }
            }
            return -1;
        }

        /** Appends the answer to the request whose head is [start, end). */
        private void answer(int start, int end) {
            int lineEnd = indexOf('\r', start, end);
            int firstSpace = indexOf(' ', start, lineEnd);
            int secondSpace = indexOf(' ', firstSpace + 1, lineEnd);
            if (firstSpace < 0 || secondSpace < 0 || !startsWith(secondSpace + 1, "HTTP/1.")
                    || lineEnd - secondSpace != 9) {
                closeWith(BAD_REQUEST);
                return;
            }
            boolean http10 = in.get(lineEnd - 1) == '0';
            boolean keepAlive = !http10;
            boolean explicitKeepAlive = false;
            long contentLength = 0;
            for (int line = lineEnd + 2; line < end - 2; line = indexOf('\r', line, end) + 2) {
                if (startsWithIgnoreCase(line, CONNECTION)) {
                    int value = skipSpaces(line + CONNECTION.length);
                    if (startsWithIgnoreCase(value, CLOSE)) {
                        keepAlive = false;
                    } else if (startsWithIgnoreCase(value, KEEP_ALIVE)) {
                        keepAlive = true;
                        explicitKeepAlive = http10;
                    }
                } else if (startsWithIgnoreCase(line, CONTENT_LENGTH)) {
                    contentLength = parseLength(skipSpaces(line + CONTENT_LENGTH.length));
                } else if (startsWithIgnoreCase(line, TRANSFER_ENCODING)) {
                    closeWith(NOT_IMPLEMENTED);
                    return;
                }
            }
            if (contentLength < 0) {
                closeWith(BAD_REQUEST);
                return;
            }
            skip = contentLength;
            boolean get = isMethod(start, firstSpace, "GET");
            boolean head = isMethod(start, firstSpace, "HEAD");
            boolean root = secondSpace - firstSpace == 2 && in.get(firstSpace + 1) == '/';
            ByteBuffer answer;
            if (!get && !head) {
                answer = NOT_ALLOWED;
            } else if (!root) {
                answer = NOT_FOUND;
            } else if (head) {
                answer = OK_HEAD;
            } else if (!keepAlive) {
                answer = OK_CLOSE;
            } else {
                answer = explicitKeepAlive ? OK_KEEP_ALIVE : OK;
            }
            out.put(answer.duplicate());
            closeAfterWrite = !keepAlive;
        }

        private void closeWith(ByteBuffer answer) {
            out.put(answer.duplicate());
            closeAfterWrite = true;
        }

        private int indexOf(char c, int from, int to) {
            for (int i = from; i < to; i++) {
                if (in.get(i) == c) {
                    return i;
                }
            }
            return -1;
        }

        private int skipSpaces(int at) {
            while (in.get(at) == ' ' || in.get(at) == '\t') {
                at++;
            }
            return at;
        }

        /** Parses the decimal digits at {@code at}; -1 if there are none or too many. */
        private long parseLength(int at) {
            long value = 0;
            int digits = 0;
            for (byte b = in.get(at); b >= '0' && b <= '9'; b = in.get(++at)) {
                if (++digits > 18) {
                    return -1;
                }
                value = value * 10 + (b - '0');
            }
            return digits == 0 ? -1 : value;
        }

        private boolean startsWith(int at, String prefix) {
            for (int i = 0; i < prefix.length(); i++) {
                if (in.get(at + i) != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the bytes at {@code at} are {@code lowerCase}, ignoring ASCII case. */
        private boolean startsWithIgnoreCase(int at, byte[] lowerCase) {
            if (at + lowerCase.length > in.position()) {
                return false;
            }
            for (int i = 0; i < lowerCase.length; i++) {
                byte b = in.get(at + i);
                if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lowerCase[i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean isMethod(int start, int space, String method) {
            return space - start == method.length() && startsWith(start, method);
        }
    }

    private static ByteBuffer answer(String status, String body, String headers) {
        String text = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\n" + headers + "\r\n" + body;
        return ByteBuffer.wrap(bytes(text)).asReadOnlyBuffer();
    }

    /** The same answer without its body, for HEAD. */
    private static ByteBuffer head(ByteBuffer answer) {
        ByteBuffer copy = answer.duplicate();
        copy.limit(copy.limit() - HELLO.length());
        return copy.slice().asReadOnlyBuffer();
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args the port, 8080 if none
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        try (AsyncRuntime runtime = AsyncRuntime.builder().threadNamePrefix("hello-").build();
                HelloServer server = bind(new InetSocketAddress(port))) {
            System.out.println("hello server on http://" + server.address() + "/; Ctrl-C stops it");
            runtime.blockOn(server.serve());
        }
    }
}
