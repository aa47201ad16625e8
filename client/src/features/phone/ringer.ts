import { audioContext, playTones, type Tone } from '../../shared/tone';
import { applySink } from './devices';
import type { Ringer } from './types';

/** One ring: two 0.4 s bursts of 440 + 480 Hz, then quiet, every 3 s. */
const CYCLE_MS = 3_000;
const RING: readonly Tone[] = [
  { at: 0, length: 0.4, freqs: [440, 480], level: 0.18, shape: 'ring' },
  { at: 0.6, length: 0.4, freqs: [440, 480], level: 0.18, shape: 'ring' },
];

const canSelectSink = () => typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function';

/**
 * The ring tone (shared/tone). Where the browser can choose a speaker for a media element
 * (setSinkId), the tone goes through an <audio> element on the chosen speaker; elsewhere it
 * plays on the default output.
 */
export function createWebAudioRinger(): Ringer {
  let el: HTMLAudioElement | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopBurst: (() => void) | null = null;

  return {
    start(outputId) {
      if (timer !== null) return;
      const ctx = audioContext();
      if (!ctx) return;
      let out: AudioNode = ctx.destination;
      if (canSelectSink()) {
        const dest = ctx.createMediaStreamDestination();
        el = new Audio();
        el.srcObject = dest.stream;
        applySink(el, outputId);
        void el.play().catch(() => undefined);
        out = dest;
      }
      const ring = () => {
        stopBurst = playTones(ctx, RING, out, ctx.currentTime + 0.05);
      };
      ring();
      timer = setInterval(ring, CYCLE_MS);
    },

    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      stopBurst?.();
      stopBurst = null;
      if (el) {
        el.pause();
        el.srcObject = null;
        el = null;
      }
    },

    setOutput(outputId) {
      if (el) applySink(el, outputId);
    },
  };
}
