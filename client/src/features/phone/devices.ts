import type { AudioDevice, DeviceList, MediaDevicesPort, NetworkPort } from './types';

type SinkCapable = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/** Plays this element on the chosen speaker where the browser can (setSinkId); '' is the default. */
export function applySink(el: HTMLMediaElement, outputId: string | null): void {
  const media = el as SinkCapable;
  if (typeof media.setSinkId !== 'function') return;
  media.setSinkId(outputId ?? '').catch(() => {
    // The device went away: the default speaker keeps playing.
  });
}

function micProblem(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return '浏览器不允许本站使用麦克风:请在地址栏左侧的网站设置中允许麦克风,然后刷新页面';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return '没有找到麦克风,请连接耳麦后刷新页面';
  if (name === 'NotReadableError') return '麦克风被其他程序占用,请关闭占用麦克风的程序';
  return `无法打开麦克风(${name || String(err)})`;
}

function audioDevices(all: MediaDeviceInfo[], kind: MediaDeviceKind, fallback: string): AudioDevice[] {
  // 'default' is the browser's default, which the pickers offer as 系统默认 already.
  return all
    .filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
}

/** navigator.mediaDevices: microphone permission, the device lists, plug/unplug. */
export function browserMediaDevices(): MediaDevicesPort {
  const md = () => (typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined);
  return {
    async prepare() {
      const m = md();
      if (!m?.getUserMedia) return '此浏览器不能使用麦克风(页面需要通过 https 或本机地址打开)';
      try {
        const stream = await m.getUserMedia({ audio: true, video: false });
        for (const t of stream.getTracks()) t.stop();
        return null;
      } catch (err) {
        return micProblem(err);
      }
    },
    async list(): Promise<DeviceList> {
      const m = md();
      const all = m?.enumerateDevices ? await m.enumerateDevices() : [];
      return {
        inputs: audioDevices(all, 'audioinput', '麦克风'),
        outputs: audioDevices(all, 'audiooutput', '扬声器'),
        canSelectOutput:
          typeof HTMLMediaElement !== 'undefined' &&
          typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function',
      };
    },
    onChange(listener) {
      const m = md();
      m?.addEventListener?.('devicechange', listener);
      return () => m?.removeEventListener?.('devicechange', listener);
    },
  };
}

/** window 'online' / 'offline'. */
export function browserNetwork(): NetworkPort {
  return {
    isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine),
    onChange(listener) {
      const on = () => listener(true);
      const off = () => listener(false);
      window.addEventListener('online', on);
      window.addEventListener('offline', off);
      return () => {
        window.removeEventListener('online', on);
        window.removeEventListener('offline', off);
      };
    },
  };
}
