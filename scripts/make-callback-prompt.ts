/**
 * Makes the call-back prompt the caller hears before a call-back overflow hangs up
 * (sip-config/prompts/callback-zh-CN.wav): the zh-CN text below spoken by espeak-ng (Debian's
 * `espeak-ng` package, Mandarin voice `cmn`), resampled here to 8 kHz 16-bit mono, the rate of
 * the G.711 call it is played into (rtpengine would resample any other rate itself).
 *
 *   apt-get install espeak-ng && npx tsx scripts/make-callback-prompt.ts [--text "…"] [--out FILE]
 *
 * The post-call survey's prompts (sip-config/prompts/survey-*-zh-CN.wav) are made by the same
 * script: `--prompt survey-question` (survey-invalid, survey-thanks) picks the text and the file.
 *
 * A bureau replaces the synthetic voice with its own recording by putting a WAV file (any rate,
 * mono) at the same path, or anywhere and naming it in CALLBACK_PROMPT_FILE.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TEXT = '您好，您的来电已登记，律师会尽快给您回电，请保持电话畅通。';
const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : d;
};
// The survey's words follow the default scale (SURVEY_KEYS 1=1,2=2,3=3,4=4).
const QUESTION = '请您对本次服务进行评价。非常满意请按1，满意请按2，基本满意请按3，不满意请按4。';
const PROMPTS: Record<string, string> = {
  callback: TEXT,
  'survey-question': `您好，${QUESTION}`,
  'survey-invalid': `您的按键无效。${QUESTION}`,
  'survey-thanks': '感谢您的评价，再见。',
};
const prompt = arg('prompt', 'callback');
if (!(prompt in PROMPTS)) throw new Error(`--prompt: one of ${Object.keys(PROMPTS).join(', ')}`);
const text = arg('text', PROMPTS[prompt]!);
const out = path.resolve(arg('out', `sip-config/prompts/${prompt}-zh-CN.wav`));

const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-')), 'tts.wav');
execFileSync('espeak-ng', ['-v', 'cmn', '-s', '185', '-g', '2', '-w', tmp, text]);
const wav = fs.readFileSync(tmp);

/** The PCM samples and rate of a 16-bit mono WAV file. */
function readWav(buf: Buffer): { rate: number; samples: Int16Array } {
  let off = 12;
  let rate = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      if (buf.readUInt16LE(off + 8) !== 1 || buf.readUInt16LE(off + 10) !== 1 || buf.readUInt16LE(off + 22) !== 16) {
        throw new Error('expected 16-bit mono PCM');
      }
      rate = buf.readUInt32LE(off + 12);
    } else if (id === 'data') {
      const data = buf.subarray(off + 8, off + 8 + size);
      const samples = new Int16Array(data.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
      return { rate, samples };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** Resamples to `to` Hz: a moving-average low-pass at the new rate, then linear interpolation. */
function resample(samples: Int16Array, from: number, to: number): Int16Array {
  const width = Math.max(1, Math.round(from / to));
  const smooth = new Float64Array(samples.length);
  let acc = 0;
  for (let i = 0; i < samples.length; i++) {
    acc += samples[i]!;
    if (i >= width) acc -= samples[i - width]!;
    smooth[i] = acc / Math.min(i + 1, width);
  }
  const n = Math.floor((samples.length * to) / from);
  const outS = new Int16Array(n);
  for (let j = 0; j < n; j++) {
    const x = (j * from) / to;
    const i = Math.floor(x);
    const f = x - i;
    const v = smooth[i]! * (1 - f) + (smooth[Math.min(i + 1, smooth.length - 1)] ?? 0) * f;
    outS[j] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return outS;
}

function writeWav(file: string, rate: number, samples: Int16Array): void {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([h, data]));
}

const { rate, samples } = readWav(wav);
const at8k = rate === 8000 ? samples : resample(samples, rate, 8000);
writeWav(out, 8000, at8k);
process.stdout.write(`${out}: ${(at8k.length / 8000).toFixed(1)} s at 8 kHz (from ${rate} Hz espeak-ng output)\n`);
