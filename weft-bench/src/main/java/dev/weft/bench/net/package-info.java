/**
 * Network benchmarks: the TCP echo benchmark ({@link dev.weft.bench.net.EchoBenchmark}, JMH) and
 * the HTTP server the wrk script starts ({@link dev.weft.bench.net.HelloMain}), each with Weft's
 * example servers against the same servers written on Netty's NIO and native epoll transports.
 *
 * <p>Invariants: one load generator ({@link dev.weft.bench.net.EchoLoad}) drives every peer; the
 * peers answer the same bytes on the same number of server threads, all named with
 * {@link dev.weft.bench.net.Servers#THREAD_PREFIX} so their context switches can be counted.
 */
package dev.weft.bench.net;
