/**
 * Caller and seat languages: lower-case ISO 639-1 codes (`zh`, `en`, `ja` ...), as in the seat
 * profiles. A caller's language comes from the routing configuration's IVR mapping or the trunk
 * header X-Caller-Language; a call without one is in the default language (Mandarin).
 */
export const DEFAULT_LANGUAGE = 'zh';

/** What the screen pop and the monitor show for a language; an unlisted code is shown as it is. */
export const LANGUAGE_LABELS: Record<string, string> = {
  zh: '普通话',
  en: '英语',
  ja: '日语',
  ko: '韩语',
  ru: '俄语',
  fr: '法语',
  de: '德语',
  es: '西班牙语',
  pt: '葡萄牙语',
  ar: '阿拉伯语',
  vi: '越南语',
  th: '泰语',
  mn: '蒙古语',
  ug: '维吾尔语',
  bo: '藏语',
};

export function languageLabel(code: string): string {
  return LANGUAGE_LABELS[code] ?? code.toUpperCase();
}

/** A language code as configured or sent by a trunk (`en`, `EN`, `en-US` → `en`); null when it is not one. */
export function normalizeLanguage(raw: string | null | undefined): string | null {
  const m = /^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$/.exec(raw ?? '');
  return m ? m[1]!.toLowerCase() : null;
}
