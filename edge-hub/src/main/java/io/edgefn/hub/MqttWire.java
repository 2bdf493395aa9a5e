package io.edgefn.hub;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.impl.MqttServerConnection;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Puts vertx-mqtt's server protocol on a socket the hub accepted itself.
 *
 * <p>Why not {@code MqttServer}: in vertx-mqtt 5.0.7 it owns its {@code NetServer} and shows a
 * connection only once CONNECT arrived, through an {@code MqttEndpoint} that cannot pause its
 * socket. The hub needs the socket from the first byte — to count connections, log bytes that are
 * not MQTT and a CONNECT that never comes, and pause reading for back-pressure — so it accepts
 * connections on its own {@code NetServer} and installs, per socket, exactly what
 * {@code MqttServerImpl} installs (Netty's MQTT codec, the CONNECT timeout under the handler names
 * {@code MqttServerConnection} removes after CONNECT, and a {@code MqttServerConnection} fed by the
 * socket's message handler). Everything after CONNECT is vertx-mqtt's own {@code MqttEndpoint}.
 * {@code MqttServerConnection.handleMessage} is package-private: it is reached through a method
 * handle, resolved once; a Vert.x upgrade that moves it fails {@link EdgeHub#start} with a clear
 * message rather than at the first client.
 *
 * <p>Called on the socket's event loop.
 */
final class MqttWire {

    private static final MethodHandle HANDLE_MESSAGE = resolveHandleMessage();

    /** What happens on a socket before (and around) vertx-mqtt's endpoint: called on its event loop. */
    interface Events {
        /** CONNECT arrived, with its raw credentials (vertx-mqtt drops a username sent without a password). */
        void connect(String username, String password);

        /** No CONNECT within the timeout: the socket is being closed. */
        void connectTimedOut();

        /** The bytes are not MQTT 3.1.1, or a packet came out of order: the caller closes the socket. */
        void protocolError(Throwable cause);
    }

    private MqttWire() {
    }

    /** Checks that vertx-mqtt's internals this class relies on are where they were. */
    static void check() {
        if (HANDLE_MESSAGE == null) {
            throw new IllegalStateException("this vertx-mqtt has no MqttServerConnection.handleMessage(Object); "
                    + "the edge hub was built against vertx-mqtt 5.0.7");
        }
    }

    /**
     * Installs the MQTT codec and vertx-mqtt's server connection on {@code socket}.
     *
     * @param decoderMaxBytes largest MQTT packet (remaining length) the decoder accepts
     * @param connectTimeoutMillis how long the client may take to send CONNECT
     * @param endpoints       called with each endpoint after its CONNECT
     */
    static void attach(NetSocketInternal socket, MqttServerOptions options, int decoderMaxBytes,
                       long connectTimeoutMillis, Events events, Handler<MqttEndpoint> endpoints) {
        ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
        pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
        pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(decoderMaxBytes, options.getMaxClientIdLength()));
        // The names "idle" and "timeoutOnConnect" are MqttServerConnection's: it removes both when CONNECT arrives.
        pipeline.addBefore("handler", "idle", new IdleStateHandler(connectTimeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addBefore("handler", "timeoutOnConnect", new CloseWhenIdle(events::connectTimedOut));
        MqttServerConnection connection = new MqttServerConnection(socket, endpoints, events::protocolError, options);
        socket.exceptionHandler(events::protocolError);
        socket.messageHandler(message -> {
            if (message instanceof MqttConnectMessage connect && connect.decoderResult().isSuccess()) {
                byte[] password = connect.payload().passwordInBytes();
                events.connect(connect.payload().userName(),
                        password == null ? null : new String(password, StandardCharsets.UTF_8));
            }
            try {
                HANDLE_MESSAGE.invokeExact(connection, message);
            } catch (Throwable t) {
                // e.g. "Received an MQTT packet from a not connected client": vertx-mqtt throws instead of closing quietly.
                events.protocolError(t);
                return;
            }
            if (message instanceof MqttMessage m && m.decoderResult().cause() instanceof MqttUnacceptableProtocolVersionException e) {
                // vertx-mqtt answered CONNACK 1 on its own; say so in the log, and close.
                events.protocolError(e);
            }
        });
    }

    /** Adds (or replaces) a reader-idle timeout of {@code seconds} that closes the socket, calling {@code onIdle} first. */
    static void readerIdleTimeout(NetSocketInternal socket, int seconds, Runnable onIdle) {
        ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
        if (pipeline.get("idle") != null) {
            pipeline.remove("idle");
        }
        if (pipeline.get("keepAliveHandler") != null) {
            pipeline.remove("keepAliveHandler");
        }
        pipeline.addBefore("handler", "idle", new IdleStateHandler(seconds, 0, 0));
        pipeline.addBefore("handler", "keepAliveHandler", new CloseWhenIdle(onIdle));
    }

    private static MethodHandle resolveHandleMessage() {
        try {
            return MethodHandles.privateLookupIn(MqttServerConnection.class, MethodHandles.lookup())
                    .findVirtual(MqttServerConnection.class, "handleMessage", MethodType.methodType(void.class, Object.class))
                    .asType(MethodType.methodType(void.class, MqttServerConnection.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Closes the channel on the first idle event of an {@link IdleStateHandler} in front of it. */
    private static final class CloseWhenIdle extends ChannelDuplexHandler {
        private final Runnable onIdle;

        CloseWhenIdle(Runnable onIdle) {
            this.onIdle = onIdle;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                onIdle.run();
                ctx.channel().close();
            } else {
                super.userEventTriggered(ctx, event);
            }
        }
    }
}
