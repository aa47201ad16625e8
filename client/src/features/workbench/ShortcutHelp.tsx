import { useEffect, useId, useRef } from 'react';
import { keyParts, SHORTCUTS } from './shortcuts';

/** The '?' button and its popover listing the keyboard shortcuts. */
export function ShortcutHelp({ open, onToggle }: { open: boolean; onToggle: (open: boolean) => void }) {
  const id = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onToggle(false);
    };
    const onDown = (e: MouseEvent) => {
      if (boxRef.current && !boxRef.current.contains(e.target as Node)) onToggle(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open, onToggle]);
  return (
    <div className="shortcut-help" ref={boxRef}>
      <button
        type="button"
        className="btn btn-small help-button"
        aria-expanded={open}
        aria-controls={id}
        aria-label="键盘快捷键"
        title="键盘快捷键(?)"
        onClick={() => onToggle(!open)}
      >
        ? 快捷键
      </button>
      {open && (
        <div className="shortcut-popover" id={id} role="dialog" aria-label="键盘快捷键">
          <h3>键盘快捷键</h3>
          <table>
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.id}>
                  <td className="keys">
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && <span className="muted"> 或 </span>}
                        {keyParts(k).map((part, j) => (
                          <span key={part}>
                            {j > 0 && '+'}
                            <kbd>{part}</kbd>
                          </span>
                        ))}
                      </span>
                    ))}
                  </td>
                  <td>{s.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">功能键与 Ctrl+Alt 组合在输入框中同样有效;“?”在输入时不触发。按 Esc 关闭。</p>
        </div>
      )}
    </div>
  );
}
