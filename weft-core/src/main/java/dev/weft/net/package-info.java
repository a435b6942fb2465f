/**
 * Network I/O for tasks (seed section 3.2.4.4.1): TCP ({@link dev.weft.net.TcpListener},
 * {@link dev.weft.net.TcpStream}) and UDP ({@link dev.weft.net.UdpSocket}). A read, write,
 * accept, connect, receive or send that cannot proceed returns pending and costs nothing until
 * the socket is ready: no thread blocks and nothing polls. The runtime's I/O driver
 * ({@code dev.weft.net.driver}) selects for readiness and wakes the waiting tasks.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Readiness is never lost, and a ready socket is served while any worker is idle, even if
 *       the worker that last served it is stuck in a long poll.</li>
 *   <li>Nothing is buffered inside the runtime beyond the caller's buffer: a slow peer makes the
 *       writer wait (back-pressure), and memory stays flat.</li>
 *   <li>A future dropped unfinished gives up its wait at once; closing a socket fails its pending
 *       futures with a {@link java.nio.channels.ClosedChannelException}.</li>
 *   <li>A socket registers with the runtime whose task first polls it, and the runtime's
 *       shutdown closes it. One the garbage collector finds unclosed is closed and reported.</li>
 *   <li>Errors reach the awaiting task as an {@link java.io.UncheckedIOException} whose cause is
 *       the JDK's exception ({@link java.net.ConnectException},
 *       {@link java.net.SocketException} for a reset, {@link java.io.EOFException},
 *       {@link java.nio.channels.ClosedChannelException}); {@code bind} throws the
 *       {@link java.net.BindException} itself, naming the address.</li>
 * </ul>
 */
package dev.weft.net;
