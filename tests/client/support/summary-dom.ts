import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A React root in the jsdom document, with the lookups the seat tests need (by label, by role name). */
export class Screen {
  readonly host: HTMLDivElement;
  private root: Root;

  constructor() {
    this.host = document.createElement('div');
    document.body.append(this.host);
    this.root = createRoot(this.host);
  }

  show(component: () => unknown): void {
    act(() => this.root.render(createElement(component as () => null)));
  }

  close(): void {
    act(() => this.root.unmount());
    this.host.remove();
  }

  text(): string {
    return this.host.textContent ?? '';
  }

  /** The control a <label> names, like Playwright's getByLabel (label text at its start). */
  field<T extends HTMLElement = HTMLInputElement>(label: string): T {
    const labels = [...this.host.querySelectorAll('label')];
    const found = labels.find((l) => (l.textContent ?? '').trim().startsWith(label));
    if (!found) throw new Error(`no label ${label}; labels: ${labels.map((l) => l.textContent).join(' | ')}`);
    const control = found.htmlFor ? document.getElementById(found.htmlFor) : found.querySelector('input, select, textarea');
    if (!control) throw new Error(`label ${label} names no control`);
    return control as T;
  }

  hasField(label: string): boolean {
    return [...this.host.querySelectorAll('label')].some((l) => (l.textContent ?? '').trim().startsWith(label));
  }

  button(name: string): HTMLButtonElement {
    const b = [...this.host.querySelectorAll('button')].find((x) => (x.textContent ?? '').trim().startsWith(name));
    if (!b)
      throw new Error(`no button ${name}; buttons: ${[...this.host.querySelectorAll('button')].map((x) => x.textContent).join(' | ')}`);
    return b;
  }

  hasButton(name: string): boolean {
    return [...this.host.querySelectorAll('button')].some((x) => (x.textContent ?? '').trim().startsWith(name));
  }
}

/** Types a value as a user would (React listens to the native input event). */
export function type(el: HTMLElement, value: string): void {
  const proto =
    el instanceof HTMLTextAreaElement
      ? HTMLTextAreaElement.prototype
      : el instanceof HTMLSelectElement
        ? HTMLSelectElement.prototype
        : HTMLInputElement.prototype;
  act(() => {
    Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}

export function click(el: HTMLElement): void {
  act(() => el.click());
}

export function key(target: EventTarget, init: KeyboardEventInit): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  act(() => {
    target.dispatchEvent(e);
  });
  return e;
}

/** Lets pending promises (fetch stubs, store updates) settle inside act. */
export async function settled(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
  });
}
