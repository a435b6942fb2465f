package dev.weft.bench.net;

import dev.weft.AsyncRuntime;
import dev.weft.RuntimeMetrics;
import dev.weft.examples.net.EchoServer;
import dev.weft.examples.net.HelloServer;
import dev.weft.examples.net.TcpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The servers the network benchmarks compare: Weft's example echo and hello servers, and the
 * same two on Netty, over its NIO transport ({@code nettyNio}) or its native epoll one
 * ({@code nettyEpoll}). Every server runs on {@code threads} threads that accept and serve alike.
 */
final class Servers {

    /** The name prefix of every server thread, short enough for /proc's 15-byte thread names. */
    static final String THREAD_PREFIX = "srv-";

    private Servers() {
    }

    /** A running server. */
    interface Server extends AutoCloseable {
        InetSocketAddress address();

        /** Weft's runtime metrics; null for Netty, which has none to compare. */
        RuntimeMetrics weftMetrics();

        @Override
        void close();
    }

    static Server echo(String peer, int threads, InetSocketAddress address) {
        return start(peer, threads, address, true);
    }

    static Server hello(String peer, int threads, InetSocketAddress address) {
        return start(peer, threads, address, false);
    }

    private static Server start(String peer, int threads, InetSocketAddress address,
            boolean echo) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be 1 or more: " + threads);
        }
        switch (peer) {
            case "weft":
                return weft(threads, address, echo ? EchoServer::bind : HelloServer::bind);
            case "nettyNio":
                return netty(NioIoHandler.newFactory(), NioServerSocketChannel.class, threads,
                        address, echo);
            case "nettyEpoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("Netty's native epoll transport is not "
                            + "available here", Epoll.unavailabilityCause());
                }
                return netty(EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                        threads, address, echo);
            default:
                throw new IllegalArgumentException("peer must be weft, nettyNio or nettyEpoll: "
                        + peer);
        }
    }

    /** Binds one of weft-examples' servers. */
    @FunctionalInterface
    private interface Binding {
        TcpServer bind(InetSocketAddress address) throws IOException;
    }

    private static Server weft(int threads, InetSocketAddress address, Binding binding) {
        AsyncRuntime runtime = runtime(threads);
        try {
            TcpServer server = binding.bind(address);
            runtime.spawn(server.serve());
            return weft(runtime, server);
        } catch (IOException e) {
            runtime.close();
            throw new UncheckedIOException(e);
        }
    }

    private static AsyncRuntime runtime(int threads) {
        return AsyncRuntime.builder().workerThreads(threads).threadNamePrefix(THREAD_PREFIX)
                .build();
    }

    private static Server weft(AsyncRuntime runtime, TcpServer server) {
        return new Server() {
            @Override
            public InetSocketAddress address() {
                return server.address();
            }

            @Override
            public RuntimeMetrics weftMetrics() {
                return runtime.metrics();
            }

            @Override
            public void close() {
                server.close();
                // Connections the clients left open are cancelled, and their sockets closed.
                runtime.shutdown(Duration.ofSeconds(1));
            }
        };
    }

    private static Server netty(IoHandlerFactory io, Class<? extends ServerChannel> channel,
            int threads, InetSocketAddress address, boolean echo) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory(THREAD_PREFIX.substring(0, THREAD_PREFIX.length() - 1)),
                io);
        try {
            Channel server = new ServerBootstrap().group(group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (echo) {
                                ch.pipeline().addLast(new NettyEcho());
                            } else {
                                ch.pipeline().addLast(new HttpServerCodec(), new NettyHello());
                            }
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            return new Server() {
                @Override
                public InetSocketAddress address() {
                    return bound;
                }

                @Override
                public RuntimeMetrics weftMetrics() {
                    return null;
                }

                @Override
                public void close() {
                    server.close().syncUninterruptibly();
                    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                            .syncUninterruptibly();
                }
            };
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /** Netty's echo, as its own example writes it: write what is read, flush per read batch. */
    @ChannelHandler.Sharable
    private static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Netty's hello: answers every request with the bytes Weft's {@link HelloServer} answers
     * {@code GET /} with (the same headers, in the same order and case), keep-alive unless asked
     * otherwise, flushing once per read batch as Weft writes once per read.
     */
    private static final class NettyHello extends SimpleChannelInboundHandler<HttpObject> {
        private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
        private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(BODY.length).writeBytes(BODY).asReadOnly());

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest)) {
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive((HttpRequest) msg);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, HELLO.duplicate());
            response.headers().set("Content-Type", "text/plain")
                    .set("Content-Length", BODY.length);
            if (keepAlive) {
                ctx.write(response);
            } else {
                response.headers().set("Connection", "close");
                ctx.write(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
