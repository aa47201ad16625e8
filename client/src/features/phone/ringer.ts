import { applySink } from './devices';
import type { Ringer } from './types';

/** One ring: two 0.4 s bursts of 440 + 480 Hz, then quiet, every 3 s. */
const CYCLE_MS = 3_000;
const BURSTS: [number, number][] = [
  [0, 0.4],
  [0.6, 1.0],
];
const LEVEL = 0.18;

type SinkCapableContext = AudioContext;

/**
 * The ring tone, made with WebAudio (no sound file to ship). Where the browser can choose a
 * speaker for a media element (setSinkId), the tone goes through an <audio> element on the chosen
 * speaker; elsewhere it plays on the default output.
 */
export function createWebAudioRinger(): Ringer {
  let ctx: SinkCapableContext | null = null;
  let el: HTMLAudioElement | null = null;
  let nodes: { oscs: OscillatorNode[]; gain: GainNode } | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  function schedule(gain: GainNode, at: number): void {
    for (const [on, off] of BURSTS) {
      gain.gain.setValueAtTime(0, at + on);
      gain.gain.linearRampToValueAtTime(LEVEL, at + on + 0.02);
      gain.gain.setValueAtTime(LEVEL, at + off - 0.02);
      gain.gain.linearRampToValueAtTime(0, at + off);
    }
  }

  const ringer: Ringer = {
    start(outputId) {
      if (timer !== null) return;
      const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctx) return;
      ctx ??= new Ctx();
      const c = ctx;
      void c.resume().catch(() => undefined);
      const gain = c.createGain();
      gain.gain.value = 0;
      const oscs = [440, 480].map((f) => {
        const o = c.createOscillator();
        o.frequency.value = f;
        o.connect(gain);
        o.start();
        return o;
      });
      if (typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function') {
        const dest = c.createMediaStreamDestination();
        gain.connect(dest);
        el = new Audio();
        el.srcObject = dest.stream;
        applySink(el, outputId);
        void el.play().catch(() => undefined);
      } else {
        gain.connect(c.destination);
      }
      nodes = { oscs, gain };
      schedule(gain, c.currentTime + 0.05);
      timer = setInterval(() => {
        if (nodes) schedule(nodes.gain, c.currentTime + 0.05);
      }, CYCLE_MS);
    },

    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      if (nodes) {
        for (const o of nodes.oscs) {
          o.stop();
          o.disconnect();
        }
        nodes.gain.disconnect();
        nodes = null;
      }
      if (el) {
        el.pause();
        el.srcObject = null;
        el = null;
      }
      void ctx?.suspend().catch(() => undefined);
    },

    setOutput(outputId) {
      if (el) applySink(el, outputId);
    },
  };
  return ringer;
}
