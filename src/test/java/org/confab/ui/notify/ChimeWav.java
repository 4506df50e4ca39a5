package org.confab.ui.notify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes Confab's message sound, {@code src/main/resources/org/confab/ui/notify/message.wav}: a soft
 * two-tone chime (G5 then C6, each a sine with a little of its second and third harmonic, a 4 ms
 * rise and an exponential decay), 0.34 s, peak at -7 dBFS, 16-bit PCM mono 44.1 kHz. Synthesised
 * here from nothing but these numbers, so the file is ours (no sample library, no licence of
 * anyone else's). {@link StrictMath} and a hand-written header make it the same bytes on every
 * JDK: {@code SoundResourceTest} checks the checked-in file is what this makes.
 *
 * <p>To regenerate after changing a number here, from the project directory:
 *
 * <pre>
 * java src/test/java/org/confab/ui/notify/ChimeWav.java src/main/resources/org/confab/ui/notify/message.wav
 * </pre>
 */
final class ChimeWav {
    static final int SAMPLE_RATE = 44_100;
    static final double SECONDS = 0.34;
    /** The loudest sample, as a fraction of full scale (0.45 is about -7 dBFS: soft). */
    static final double PEAK = 0.45;

    private static final double FIRST_HZ = 783.99; // G5
    private static final double SECOND_HZ = 1046.50; // C6
    private static final double SECOND_AT_S = 0.095;
    private static final double ATTACK_S = 0.004;
    private static final double FADE_OUT_S = 0.03;

    private ChimeWav() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java ChimeWav.java OUTPUT.wav");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        byte[] wav = wav();
        Files.write(out, wav);
        System.out.println(out + ": " + wav.length + " bytes");
    }

    /** The whole file: a 44-byte RIFF/WAVE header, then the samples. */
    static byte[] wav() {
        short[] samples = samples();
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16);
        b.putShort((short) 1); // PCM
        b.putShort((short) 1); // mono
        b.putInt(SAMPLE_RATE);
        b.putInt(SAMPLE_RATE * 2); // bytes per second
        b.putShort((short) 2); // bytes per frame
        b.putShort((short) 16); // bits per sample
        b.put(ascii("data")).putInt(dataBytes);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    static short[] samples() {
        int n = (int) Math.round(SECONDS * SAMPLE_RATE);
        double[] signal = new double[n];
        double loudest = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / SAMPLE_RATE;
            double v = tone(t, FIRST_HZ, 0.070, 1.0) + tone(t - SECOND_AT_S, SECOND_HZ, 0.085, 0.9);
            double left = SECONDS - t;
            if (left < FADE_OUT_S) {
                v *= 0.5 - 0.5 * StrictMath.cos(StrictMath.PI * left / FADE_OUT_S); // to exactly 0
            }
            signal[i] = v;
            loudest = Math.max(loudest, Math.abs(v));
        }
        short[] samples = new short[n];
        double scale = PEAK * Short.MAX_VALUE / loudest;
        for (int i = 0; i < n; i++) {
            samples[i] = (short) StrictMath.round(signal[i] * scale);
        }
        return samples;
    }

    /** One struck tone at {@code t} seconds after its start (0 before it). */
    private static double tone(double t, double hz, double decayS, double gain) {
        if (t < 0) {
            return 0;
        }
        double rise = t < ATTACK_S ? 0.5 - 0.5 * StrictMath.cos(StrictMath.PI * t / ATTACK_S) : 1;
        double envelope = gain * rise * StrictMath.exp(-t / decayS);
        double phase = 2 * StrictMath.PI * hz * t;
        return envelope * (StrictMath.sin(phase) + 0.22 * StrictMath.sin(2 * phase) + 0.06 * StrictMath.sin(3 * phase));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
