package org.janussfu.transport;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoRegistration;

/**
 * A Netty {@link IoHandler} that hands every call to another one: the base of handlers that change one thing about
 * an event loop's I/O ({@link WholeMillisecondSelect}: how it waits for timers) and of tests that observe one.
 * Subclasses override what they change. Stateless apart from the wrapped handler; like any {@link IoHandler}, used
 * only by its event loop's thread.
 */
abstract class ForwardingIoHandler implements IoHandler {
    protected final IoHandler delegate;

    protected ForwardingIoHandler(IoHandler delegate) {
        this.delegate = delegate;
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}
