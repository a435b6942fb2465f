/**
 * Network examples: an echo server and its client, and a small HTTP/1.1 "hello world" server.
 * They are showcases of {@code dev.weft.net}, written the way a user would write them (each
 * connection a task, a state machine over the allocation-free {@code pollRead} and
 * {@code pollWrite}), and the servers the network benchmarks measure against Netty.
 *
 * <p>Invariants: a connection's task owns its socket and its buffers and closes the socket on
 * every way out; nothing is buffered beyond one connection's fixed buffers, so a slow peer slows
 * only its own task.
 */
package dev.weft.examples.net;
