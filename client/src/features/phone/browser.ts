import type { AppStore } from '../../app/store';
import { createPhoneController, type PhoneApi, type PhoneController } from './controller';
import { browserMediaDevices, browserNetwork } from './devices';
import { jssipAdapter } from './jssip-adapter';
import { createWebAudioRinger } from './ringer';
import type { KeyValueStorage, LockManagerLike } from './types';

const memoryStorage = (): KeyValueStorage => {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
};

function storageOr(get: () => Storage): KeyValueStorage {
  try {
    return get();
  } catch {
    return memoryStorage();
  }
}

/** A fresh id for this page load: the console the router gives the seat's phone to. */
function newConsoleId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The page's softphone: the controller wired to JsSIP, WebAudio, mediaDevices, Web Locks and storage. */
export function createBrowserPhone(api: PhoneApi, store: AppStore): PhoneController {
  const locks = (navigator as Navigator & { locks?: LockManagerLike }).locks ?? null;
  const phone = createPhoneController({
    api,
    consoleId: newConsoleId(),
    store,
    adapter: jssipAdapter,
    clock: {
      // Credentials expire on the server's clock.
      now: () => Date.now() + store.getState().clockOffsetMs,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
    locks,
    devices: browserMediaDevices(),
    ringer: createWebAudioRinger(),
    network: browserNetwork(),
    storage: storageOr(() => window.localStorage),
    tabStorage: storageOr(() => window.sessionStorage),
    unsupported: typeof RTCPeerConnection === 'undefined' ? '此浏览器不支持网页电话(WebRTC),请使用最新版 Chrome、Edge 或 Firefox' : null,
  });
  if (typeof window !== 'undefined') {
    // A call cannot survive a reload or a closed tab: ask first, and hang up cleanly when it happens.
    window.addEventListener('beforeunload', (e) => {
      if (store.getState().phone.active) e.preventDefault();
    });
    window.addEventListener('pagehide', () => phone.unload());
    window.addEventListener('pageshow', (e) => {
      if (e.persisted) phone.start(); // back from the back/forward cache
    });
  }
  return phone;
}
