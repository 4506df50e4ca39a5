package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.awt.HeadlessException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SoundTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(42 * 1000 * MS);
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @Test
    void theBundledSoundIsAShortSoftChime() throws Exception {
        InputStream resource = Sound.class.getResourceAsStream(Sound.RESOURCE);
        assertThat(resource).as("the resource %s", Sound.RESOURCE).isNotNull();
        byte[] bytes;
        AudioFormat format;
        long frames;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(resource))) {
            format = in.getFormat();
            frames = in.getFrameLength();
            bytes = in.readAllBytes();
        }
        assertThat(AudioSystem.getAudioFileFormat(Sound.class.getResource(Sound.RESOURCE))
                        .getType())
                .isEqualTo(AudioFileFormat.Type.WAVE);
        assertThat(format.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
        assertThat(format.getSampleSizeInBits()).isEqualTo(16);
        assertThat(format.getChannels()).isEqualTo(1);
        assertThat(format.getSampleRate()).isIn(44_100f, 22_050f);
        assertThat(format.isBigEndian()).isFalse();
        double seconds = frames / format.getFrameRate();
        assertThat(seconds).isBetween(0.1, 0.6);
        assertThat(bytes).hasSize((int) frames * 2);
        assertThat(bytes.length + 44).as("the file's size").isLessThan(40 * 1024);

        ShortBuffer samples =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        int peak = 0;
        double energy = 0;
        int clipped = 0;
        for (int i = 0; i < samples.limit(); i++) {
            int s = samples.get(i);
            peak = Math.max(peak, Math.abs(s));
            energy += (double) s * s;
            if (Math.abs(s) >= 32_000) {
                clipped++;
            }
        }
        double rms = Math.sqrt(energy / samples.limit()) / Short.MAX_VALUE;
        assertThat(clipped).as("samples at full scale (clipping)").isZero();
        assertThat(peak).as("the peak: soft, well under full scale").isBetween(6_000, 24_000);
        assertThat(rms).as("not silent").isGreaterThan(0.03);
        // it starts and ends at silence: no click
        assertThat(Math.abs(samples.get(0))).isLessThan(100);
        assertThat(Math.abs(samples.get(samples.limit() - 1))).isLessThan(100);
    }

    @Test
    void theBundledFileIsWhatItsGeneratorMakes() throws Exception {
        try (InputStream resource = Sound.class.getResourceAsStream(Sound.RESOURCE)) {
            assertThat(resource).isNotNull();
            assertThat(resource.readAllBytes())
                    .as("message.wav is made by ChimeWav (its Javadoc says how to regenerate it)")
                    .isEqualTo(ChimeWav.wav());
        }
    }

    @Test
    void aBurstRingsOnceAndTheNextAfterTheInterval() {
        AtomicInteger plays = new AtomicInteger();
        Sound sound = new Sound(plays::incrementAndGet, now::get, Runnable::run, logged::add);

        for (int i = 0; i < 50; i++) {
            sound.play();
            now.addAndGet(10 * MS); // 50 messages in half a second
        }
        assertThat(plays).hasValue(1);

        now.set(42 * 1000 * MS + Sound.MIN_INTERVAL.toNanos() - 1);
        sound.play();
        assertThat(plays).as("still within the interval of the first").hasValue(1);

        now.set(42 * 1000 * MS + Sound.MIN_INTERVAL.toNanos());
        sound.play();
        assertThat(plays).hasValue(2);
        sound.play();
        assertThat(plays).hasValue(2);

        sound.close();
        now.addAndGet(60_000 * MS);
        sound.play();
        assertThat(plays).as("closed").hasValue(2);
        assertThat(logged).isEmpty();
    }

    @Test
    void theClockMayStartAnywhere() {
        // System.nanoTime may be negative or near zero: the first sound rings whatever it says
        for (long start : new long[] {Long.MIN_VALUE + 1, -1, 0, 1}) {
            AtomicInteger plays = new AtomicInteger();
            now.set(start);
            Sound sound = new Sound(plays::incrementAndGet, now::get, Runnable::run, logged::add);
            sound.play();
            assertThat(plays).as("starting at %d", start).hasValue(1);
        }
    }

    static Stream<Throwable> noAudioDevice() {
        return Stream.of(
                new LineUnavailableException("no mixer"),
                new IllegalArgumentException("No line matching interface Clip is supported."),
                new HeadlessException(),
                new UnsatisfiedLinkError("no libjsound"));
    }

    @ParameterizedTest
    @MethodSource("noAudioDevice")
    void withoutAnAudioDeviceItLogsOnceAndGoesQuiet(Throwable failure) {
        AtomicInteger attempts = new AtomicInteger();
        Sound sound = new Sound(
                () -> {
                    attempts.incrementAndGet();
                    throw sneaky(failure);
                },
                now::get,
                Runnable::run,
                logged::add);

        for (int i = 0; i < 5; i++) {
            assertThatCode(sound::play).doesNotThrowAnyException();
            now.addAndGet(Sound.MIN_INTERVAL.toNanos() * 2);
        }
        assertThat(attempts)
                .as("after the first failure the device is not tried again")
                .hasValue(1);
        assertThat(sound.isOff()).isTrue();
        assertThat(logged).hasSize(1);
        assertThat(logged.getFirst())
                .startsWith("confab: the message sound is off: ")
                .contains(failure.getClass().getSimpleName());
        sound.close();
    }

    @Test
    void aThreadThatCannotStartIsLoggedOnceToo() {
        Sound sound = new Sound(
                () -> {
                    throw new AssertionError("never played");
                },
                now::get,
                r -> {
                    throw new RejectedExecutionException("no threads left");
                },
                logged::add);
        assertThatCode(sound::play).doesNotThrowAnyException();
        now.addAndGet(Sound.MIN_INTERVAL.toNanos() * 2);
        assertThatCode(sound::play).doesNotThrowAnyException();
        assertThat(logged).hasSize(1).first().asString().contains("no threads left");
    }

    @Test
    void playReturnsAtOnceAndRingsOnItsOwnDaemonThread() throws Exception {
        CountDownLatch playing = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        Sound sound = new Sound(
                () -> {
                    threads.add(Thread.currentThread());
                    playing.countDown();
                    try {
                        never.await(); // a device that hangs
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                },
                now::get,
                null,
                logged::add);

        sound.play(); // returns although the player never finishes
        assertThat(playing.await(20, TimeUnit.SECONDS)).isTrue();
        Thread ringer = threads.getFirst();
        assertThat(ringer).isNotSameAs(Thread.currentThread());
        assertThat(ringer.getName()).isEqualTo("confab-sound");
        assertThat(ringer.isDaemon()).isTrue();

        // later sounds while it hangs are dropped, not queued without end, and never block
        for (int i = 0; i < 10; i++) {
            now.addAndGet(Sound.MIN_INTERVAL.toNanos());
            sound.play();
        }
        sound.close();
        assertThat(interrupted.await(20, TimeUnit.SECONDS))
                .as("close stops the sound thread")
                .isTrue();
        ringer.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(ringer.isAlive()).isFalse();
        assertThat(threads).as("the one queued sound is dropped by close").hasSize(1);
        assertThat(logged).as("being closed is no failure").isEmpty();
        assertThat(sound.isOff()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
