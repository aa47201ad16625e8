import { useEffect, useRef } from 'react';

/**
 * The seat workbench's keyboard shortcuts, named once: the help popover lists this table and
 * the key handler reads it. Function keys and Ctrl+Alt / Ctrl+Enter combos work while typing
 * (a lawyer types the summary during the call); a plain key like "?" never fires in a field.
 */
export type ShortcutId = 'answer' | 'hangup' | 'ready' | 'submit' | 'help';

export interface Shortcut {
  id: ShortcutId;
  /** As shown in the help, e.g. "F8", "Ctrl+Alt+A". */
  keys: readonly string[];
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'answer', keys: ['F8', 'Ctrl+Alt+A'], label: '接听来电' },
  { id: 'hangup', keys: ['F9', 'Ctrl+Alt+H'], label: '挂断通话' },
  { id: 'ready', keys: ['F10', 'Ctrl+Alt+R'], label: '就绪(话后整理中为“完成整理”)' },
  { id: 'submit', keys: ['Ctrl+Enter'], label: '提交小结' },
  { id: 'help', keys: ['?'], label: '显示或关闭快捷键说明' },
];

export type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey' | 'repeat'> & {
  getModifierState?: (key: string) => boolean;
};

const FUNCTION_KEYS: Partial<Record<string, ShortcutId>> = { F8: 'answer', F9: 'hangup', F10: 'ready' };
const CTRL_ALT_CODES: Partial<Record<string, ShortcutId>> = { KeyA: 'answer', KeyH: 'hangup', KeyR: 'ready' };

/** Whether keys typed at `target` are text (inputs, text areas, selects, editable content). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

/** The shortcut a key press means, or null. `typing`: the focus is in a text field. */
export function matchShortcut(e: KeyLike, typing: boolean): ShortcutId | null {
  if (e.repeat) return null;
  const noMods = !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey;
  const fn = FUNCTION_KEYS[e.key];
  if (fn && noMods) return fn;
  // Ctrl+Alt by physical key, so the layout or Alt's own characters do not matter; AltGr
  // (reported as Ctrl+Alt on Windows) types characters and is left alone.
  if (e.ctrlKey && e.altKey && !e.metaKey && !e.shiftKey && !e.getModifierState?.('AltGraph')) {
    const id = CTRL_ALT_CODES[e.code];
    if (id) return id;
  }
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) return 'submit';
  if (!typing && e.key === '?' && !e.ctrlKey && !e.altKey && !e.metaKey) return 'help';
  return null;
}

export type ShortcutHandlers = Partial<Record<ShortcutId, () => void>>;

/**
 * Listens for the shortcuts on the window while mounted. A handler left out (or a key press
 * something else already handled, e.g. a form's own Ctrl+Enter) lets the key through.
 */
export function useShortcuts(handlers: ShortcutHandlers, target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const id = matchShortcut(e, isTypingTarget(e.target));
      const handler = id ? latest.current[id] : undefined;
      if (!handler) return;
      e.preventDefault();
      handler();
    };
    target.addEventListener('keydown', onKey as EventListener);
    return () => target.removeEventListener('keydown', onKey as EventListener);
  }, [target]);
}

/** "Ctrl+Alt+A" → ["Ctrl", "Alt", "A"], for <kbd> rendering. */
export function keyParts(keys: string): string[] {
  return keys.split('+');
}
