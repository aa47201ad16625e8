import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import {
  isTypingTarget,
  matchShortcut,
  SHORTCUTS,
  useShortcuts,
  type KeyLike,
  type ShortcutHandlers,
} from '../../../client/src/features/workbench/shortcuts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const k = (over: Partial<KeyLike>): KeyLike => ({
  key: '',
  code: '',
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  repeat: false,
  ...over,
});

describe('matchShortcut', () => {
  it.each([
    ['F8', k({ key: 'F8' }), 'answer'],
    ['Ctrl+Alt+A', k({ key: 'a', code: 'KeyA', ctrlKey: true, altKey: true }), 'answer'],
    ['F9', k({ key: 'F9' }), 'hangup'],
    ['Ctrl+Alt+H', k({ key: 'h', code: 'KeyH', ctrlKey: true, altKey: true }), 'hangup'],
    ['F10', k({ key: 'F10' }), 'ready'],
    ['Ctrl+Alt+R', k({ key: 'r', code: 'KeyR', ctrlKey: true, altKey: true }), 'ready'],
    ['Ctrl+Enter', k({ key: 'Enter', ctrlKey: true }), 'submit'],
    ['⌘+Enter', k({ key: 'Enter', metaKey: true }), 'submit'],
  ] as const)('%s while typing in a field should still work', (_name, e, id) => {
    expect(matchShortcut(e, true)).toBe(id);
  });

  it('when Alt changes the character (macOS Option+A types å), should match by physical key', () => {
    expect(matchShortcut(k({ key: 'å', code: 'KeyA', ctrlKey: true, altKey: true }), false)).toBe('answer');
  });

  it('when AltGr types a character, should not fire', () => {
    const altGr = { ...k({ key: 'ą', code: 'KeyA', ctrlKey: true, altKey: true }), getModifierState: (m: string) => m === 'AltGraph' };
    expect(matchShortcut(altGr, true)).toBeNull();
  });

  it('"?" should open the help only when not typing', () => {
    expect(matchShortcut(k({ key: '?', shiftKey: true }), false)).toBe('help');
    expect(matchShortcut(k({ key: '?', shiftKey: true }), true)).toBeNull();
  });

  it('should ignore plain letters, Shift+F8, Enter alone and a held-down key', () => {
    expect(matchShortcut(k({ key: 'a', code: 'KeyA' }), false)).toBeNull();
    expect(matchShortcut(k({ key: 'F8', shiftKey: true }), false)).toBeNull();
    expect(matchShortcut(k({ key: 'Enter' }), true)).toBeNull();
    expect(matchShortcut(k({ key: 'F8', repeat: true }), false)).toBeNull();
  });

  it('every shortcut should be listed in the help with keys and a zh-CN label', () => {
    expect(SHORTCUTS.map((s) => s.id).sort()).toEqual(['answer', 'hangup', 'help', 'ready', 'submit']);
    for (const s of SHORTCUTS) expect(s.keys.length).toBeGreaterThan(0);
  });
});

describe('isTypingTarget', () => {
  it('should treat text inputs, text areas and selects as typing, but not checkboxes or buttons', () => {
    const el = (html: string) => {
      const d = document.createElement('div');
      d.innerHTML = html;
      return d.firstElementChild;
    };
    expect(isTypingTarget(el('<input>'))).toBe(true);
    expect(isTypingTarget(el('<textarea></textarea>'))).toBe(true);
    expect(isTypingTarget(el('<select></select>'))).toBe(true);
    expect(isTypingTarget(el('<input type="checkbox">'))).toBe(false);
    expect(isTypingTarget(el('<button></button>'))).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
  });
});

describe('useShortcuts', () => {
  function mount(handlers: ShortcutHandlers) {
    const host = document.createElement('div');
    document.body.append(host);
    const input = document.createElement('input');
    document.body.append(input);
    const root = createRoot(host);
    function Probe() {
      useShortcuts(handlers);
      return null;
    }
    act(() => root.render(createElement(Probe)));
    const press = (target: EventTarget, init: KeyboardEventInit) => {
      const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
      target.dispatchEvent(e);
      return e;
    };
    return {
      input,
      press,
      unmount: () => {
        act(() => root.unmount());
        host.remove();
        input.remove();
      },
    };
  }

  it('when a bound key is pressed, should run its handler and keep the browser from using the key', () => {
    const answer = vi.fn();
    const m = mount({ answer });
    const e = m.press(m.input, { key: 'F8' });
    expect(answer).toHaveBeenCalledOnce();
    expect(e.defaultPrevented).toBe(true);
    m.unmount();
  });

  it("when something already handled the key (a form's own Ctrl+Enter), should leave it", () => {
    const submit = vi.fn();
    const m = mount({ submit });
    const stop = (e: Event) => e.preventDefault();
    m.input.addEventListener('keydown', stop);
    m.press(m.input, { key: 'Enter', ctrlKey: true });
    expect(submit).not.toHaveBeenCalled();
    m.unmount();
  });

  it('when a shortcut has no handler, should let the key through; after unmount, should stop listening', () => {
    const ready = vi.fn();
    const m = mount({ ready });
    expect(m.press(document.body, { key: 'F9' }).defaultPrevented).toBe(false);
    m.unmount();
    m.press(document.body, { key: 'F10' });
    expect(ready).not.toHaveBeenCalled();
  });

  it('while an input method is composing, should not fire', () => {
    const submit = vi.fn();
    const m = mount({ submit });
    m.press(m.input, { key: 'Enter', ctrlKey: true, isComposing: true });
    expect(submit).not.toHaveBeenCalled();
    m.unmount();
  });
});
