package org.confab.ui.notify;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Clip;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineEvent;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Confab's message sound: a short soft chime ({@value #RESOURCE}, 0.34 s), played through Java
 * Sound on a daemon thread of its own ({@code confab-sound}).
 *
 * <p>{@link #play()} returns at once and never throws. At most one sound rings per {@link
 * #MIN_INTERVAL}: a burst of messages rings once. Where there is no audio device (a headless
 * machine, CI, a desktop without sound) the first play fails on the sound thread: that is written
 * once to the error output and every later play is a no-op.
 *
 * <p>Whether to play at all is the person's setting (off by default); the shell asks that before
 * calling {@link #play()}.
 */
public final class Sound implements AutoCloseable {
    /** The bundled sound, made by {@code ChimeWav} (test sources). */
    static final String RESOURCE = "/org/confab/ui/notify/message.wav";
    /** The least time between two sounds. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(1500);

    private static final long CLIP_TIMEOUT_MS = 3000;

    /** Plays the sound once; may block (on the sound thread) until it has played. */
    @FunctionalInterface
    interface Player {
        void play() throws Exception;
    }

    private final Player player;
    private final LongSupplier nanoClock;
    private final Executor executor;
    private final ExecutorService own; // the thread this Sound made, or null (tests)
    private final Consumer<String> log;
    private final AtomicBoolean off = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean playedOnce; // guarded by this
    private long lastPlay; // guarded by this

    Sound(Player player, LongSupplier nanoClock, Executor executor, Consumer<String> log) {
        this.player = Objects.requireNonNull(player, "player");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.log = Objects.requireNonNull(log, "log");
        if (executor == null) {
            // one sound at a time, one more waiting at most: a device that hangs drops the rest
            this.own = new ThreadPoolExecutor(
                    1,
                    1,
                    0,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(1),
                    r -> Thread.ofPlatform().name("confab-sound").daemon(true).unstarted(r),
                    new ThreadPoolExecutor.DiscardPolicy());
            this.executor = own;
        } else {
            this.own = null;
            this.executor = executor;
        }
    }

    /**
     * The bundled message sound on the default audio device. Cheap: nothing is read and no audio
     * line or thread is opened before the first {@link #play()}.
     */
    public static Sound create() {
        return new Sound(new ClipPlayer(), System::nanoTime, null, System.err::println);
    }

    /**
     * Rings once, unless a sound rang less than {@link #MIN_INTERVAL} ago, the audio device failed
     * or this is closed. Returns at once, on any thread; never throws.
     */
    public void play() {
        if (off.get() || closed.get()) {
            return;
        }
        try {
            long now = nanoClock.getAsLong();
            synchronized (this) {
                if (playedOnce && now - lastPlay < MIN_INTERVAL.toNanos()) {
                    return;
                }
                playedOnce = true;
                lastPlay = now;
            }
            executor.execute(this::ring);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Stops the sound thread (a sound playing is cut short) and releases the device. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (own != null) {
            own.shutdownNow();
        }
    }

    /** Whether a failure turned the sound off (no audio device). */
    boolean isOff() {
        return off.get();
    }

    @Override
    public String toString() {
        return "message sound" + (off.get() ? " (off: no audio device)" : "");
    }

    /** On the sound thread. */
    private void ring() {
        if (off.get() || closed.get()) {
            return;
        }
        try {
            player.play();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed while playing
        } catch (Exception | LinkageError e) {
            // LineUnavailableException, IllegalArgumentException (no such line), HeadlessException,
            // SecurityException, UnsatisfiedLinkError (no native audio library), ...
            fail(e);
        }
    }

    private void fail(Throwable e) {
        if (off.compareAndSet(false, true) && !closed.get()) {
            log.accept("confab: the message sound is off: " + e);
        }
    }

    /** The bundled WAV through a {@link Clip} opened for each sound and closed after it. */
    static final class ClipPlayer implements Player {
        private AudioFormat format; // read on first play, on the sound thread
        private byte[] frames;

        @Override
        public void play() throws Exception {
            if (frames == null) {
                load();
            }
            // a Clip held open would keep the device (an ALSA hw device is exclusive): one per sound
            Clip clip = (Clip) AudioSystem.getLine(new DataLine.Info(Clip.class, format));
            try {
                CountDownLatch done = new CountDownLatch(1);
                clip.addLineListener(e -> {
                    if (e.getType() == LineEvent.Type.STOP || e.getType() == LineEvent.Type.CLOSE) {
                        done.countDown();
                    }
                });
                clip.open(format, frames, 0, frames.length);
                clip.start();
                done.await(CLIP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } finally {
                clip.close();
            }
        }

        private void load() throws IOException, UnsupportedAudioFileException {
            InputStream resource = Sound.class.getResourceAsStream(RESOURCE);
            if (resource == null) {
                throw new IOException("missing resource " + RESOURCE);
            }
            try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(resource))) {
                format = in.getFormat();
                frames = in.readAllBytes();
            }
        }
    }
}
