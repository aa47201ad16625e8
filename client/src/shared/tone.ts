/**
 * Tones made with WebAudio (no sound file to ship): the softphone's ring and the supervisor's
 * alert cue. One AudioContext per page, created on first use. Silently nothing where audio is
 * unavailable; a browser that has not been clicked yet may keep it suspended (autoplay rules).
 */
export interface Tone {
  /** Seconds after the start of the pattern. */
  at: number;
  /** Seconds. */
  length: number;
  /** Played together (a ring is 440 + 480 Hz). */
  freqs: readonly number[];
  level: number;
  /** 'ring': rises, holds and falls (linear); 'ping': rises and decays over its length (exponential). */
  shape: 'ring' | 'ping';
}

type AudioContextCtor = typeof AudioContext;

let shared: AudioContext | null = null;

/** The page's AudioContext (resumed), or null where WebAudio is missing. */
export function audioContext(): AudioContext | null {
  const Ctor = (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext) as
    AudioContextCtor | undefined;
  if (!Ctor) return null;
  shared ??= new Ctor();
  if (shared.state === 'suspended') void shared.resume().catch(() => undefined);
  return shared;
}

const EDGE = 0.02;
const QUIET = 0.0001;

/**
 * Plays `tones` through `out` (the speakers unless told), starting at `start` (context time).
 * Returns a stop for a pattern that must end early (a ring answered mid-burst).
 */
export function playTones(
  ctx: AudioContext,
  tones: readonly Tone[],
  out: AudioNode = ctx.destination,
  start = ctx.currentTime + EDGE,
): () => void {
  const playing: { osc: OscillatorNode; gain: GainNode }[] = [];
  for (const tone of tones) {
    const t = start + tone.at;
    const end = t + tone.length;
    const gain = ctx.createGain();
    if (tone.shape === 'ring') {
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(tone.level, t + EDGE);
      gain.gain.setValueAtTime(tone.level, end - EDGE);
      gain.gain.linearRampToValueAtTime(0, end);
    } else {
      gain.gain.setValueAtTime(QUIET, t);
      gain.gain.exponentialRampToValueAtTime(tone.level, t + EDGE);
      gain.gain.exponentialRampToValueAtTime(QUIET, end);
    }
    gain.connect(out);
    for (const freq of tone.freqs) {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(t);
      osc.stop(end + EDGE);
      playing.push({ osc, gain });
    }
  }
  return () => {
    for (const { osc, gain } of playing) {
      try {
        osc.stop();
        osc.disconnect();
        gain.disconnect();
      } catch {
        // already stopped
      }
    }
  };
}

/** Plays `tones` once on the speakers; a cue that cannot sound must not break the page. */
export function cue(tones: readonly Tone[]): void {
  try {
    const ctx = audioContext();
    if (ctx) playTones(ctx, tones);
  } catch {
    // no audio
  }
}
