import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { chinaDay } from '../format';

/**
 * zh-CN date and time inputs that read the same whatever the browser's language: a native
 * <input type="date"> follows the browser locale (mm/dd/yyyy in an English browser), these
 * always show 2026-11-23 and 24-hour 15:30, with a 年/月 calendar to pick from. The value is the
 * same string a native input would give (YYYY-MM-DD, and YYYY-MM-DDTHH:MM for date and time), so
 * they drop in where one was. Typed text is committed once it is a real date (or emptied).
 */

const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME_RE = /^(\d{1,2})[:：](\d{2})$/;
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** "2026-1-5" or "2026-01-05" → "2026-01-05"; null when it is not a calendar date. */
export function normalizeDate(text: string): string | null {
  const m = DATE_RE.exec(
    text
      .trim()
      .replace(/[/.年月]/g, '-')
      .replace(/日$/, ''),
  );
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

/** "9:05" or "09:05" → "09:05"; null when it is not a 24-hour time. */
export function normalizeTime(text: string): string | null {
  const m = TIME_RE.exec(text.trim());
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  return h < 24 && mi < 60 ? `${pad2(h)}:${pad2(mi)}` : null;
}

/** The days of `month` (YYYY-MM) laid out Monday first, with nulls before the 1st. */
export function monthGrid(month: string): (string | null)[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  return [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => `${month}-${pad2(i + 1)}`)];
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}`;
}

const CALENDAR_W = 248;
const CALENDAR_H = 250;

/**
 * Where the calendar opens: fixed to the window beside its button (a form that scrolls inside
 * itself would clip it otherwise), below the button or above it when the window ends first.
 */
export function calendarPlace(
  button: { top: number; bottom: number; right: number },
  win: { width: number; height: number },
): CSSProperties {
  const below = button.bottom + 4 + CALENDAR_H <= win.height;
  const top = below ? button.bottom + 4 : Math.max(4, button.top - 4 - CALENDAR_H);
  const left = Math.min(Math.max(4, button.right - CALENDAR_W), win.width - CALENDAR_W - 4);
  return { position: 'fixed', top, left };
}

interface CalendarProps {
  style: CSSProperties;
  value: string;
  fallbackMonth: string;
  min?: string;
  max?: string;
  onPick: (day: string) => void;
  onClose: () => void;
}

function Calendar({ style, value, fallbackMonth, min, max, onPick, onClose }: CalendarProps) {
  const [month, setMonth] = useState((value || fallbackMonth).slice(0, 7));
  const [y, m] = month.split('-');
  const out = (d: string) => (min !== undefined && d < min) || (max !== undefined && d > max);
  return (
    <div className="date-calendar" style={style} role="dialog" aria-label="选择日期" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="date-calendar-head">
        <button type="button" className="btn btn-small btn-ghost" aria-label="上个月" onClick={() => setMonth(shiftMonth(month, -1))}>
          ‹
        </button>
        <span aria-live="polite">
          {y}年{Number(m)}月
        </span>
        <button type="button" className="btn btn-small btn-ghost" aria-label="下个月" onClick={() => setMonth(shiftMonth(month, 1))}>
          ›
        </button>
      </div>
      <div className="date-calendar-grid" role="grid">
        {WEEKDAYS.map((w) => (
          <span key={w} className="date-calendar-weekday" role="columnheader">
            {w}
          </span>
        ))}
        {monthGrid(month).map((d, i) =>
          d === null ? (
            <span key={`blank-${i}`} />
          ) : (
            <button
              key={d}
              type="button"
              role="gridcell"
              className={d === value ? 'date-calendar-day selected' : 'date-calendar-day'}
              aria-selected={d === value}
              aria-label={`${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8))}日`}
              disabled={out(d)}
              onClick={() => onPick(d)}
            >
              {Number(d.slice(8))}
            </button>
          ),
        )}
      </div>
    </div>
  );
}

/** A drawn calendar (an emoji would need a font the office computer may not have). */
function CalendarIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor" />
      <path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor" />
      <path d="M4 8.5h2v2H4zM7 8.5h2v2H7zM10 8.5h2v2h-2z" fill="currentColor" />
    </svg>
  );
}

export interface DateInputProps {
  id?: string;
  /** YYYY-MM-DD, or '' for none. */
  value: string;
  onChange: (value: string) => void;
  min?: string;
  max?: string;
  /** The month the calendar opens on when there is no value (YYYY-MM-DD or YYYY-MM). */
  today?: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
  'aria-label'?: string;
}

/** A YYYY-MM-DD text box with a calendar button, in Chinese whatever the browser language. */
export function DateInput(props: DateInputProps) {
  const { value, onChange, min, max } = props;
  const [text, setText] = useState(value);
  const [open, setOpen] = useState<CSSProperties | null>(null);
  const [bad, setBad] = useState(false);
  const wrapRef = useRef<HTMLSpanElement>(null);
  const calId = useId();
  useEffect(() => {
    setText(value);
    setBad(false);
  }, [value]);

  const commit = () => {
    if (text.trim() === '') {
      if (value !== '') onChange('');
      return;
    }
    const day = normalizeDate(text);
    const inRange = day !== null && !(min && day < min) && !(max && day > max);
    setBad(!inRange);
    if (inRange && day !== value) onChange(day);
    else if (inRange) setText(day);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    } else if (e.key === 'ArrowDown' && e.altKey) {
      toggle();
    }
  };
  const toggle = () => {
    const button = wrapRef.current?.querySelector('button');
    if (open || !button) return setOpen(null);
    setOpen(calendarPlace(button.getBoundingClientRect(), { width: window.innerWidth, height: window.innerHeight }));
  };
  return (
    <span
      className="date-input"
      ref={wrapRef}
      onBlur={(e) => {
        if (!wrapRef.current?.contains(e.relatedTarget)) setOpen(null);
      }}
    >
      <input
        id={props.id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="年-月-日"
        value={text}
        size={10}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
        aria-label={props['aria-label']}
        aria-invalid={bad || props['aria-invalid'] ? true : undefined}
        aria-describedby={props['aria-describedby']}
        title="格式:年-月-日,如 2026-11-23"
      />
      <button
        type="button"
        className="date-input-button"
        aria-label="打开日历"
        aria-expanded={open !== null}
        aria-controls={open ? calId : undefined}
        onClick={toggle}
      >
        <CalendarIcon />
      </button>
      {open && (
        <span id={calId}>
          <Calendar
            style={open}
            value={value}
            fallbackMonth={(props.today ?? max ?? min ?? '').slice(0, 7) || chinaDay(Date.now()).slice(0, 7)}
            min={min}
            max={max}
            onPick={(d) => {
              setOpen(null);
              onChange(d);
            }}
            onClose={() => setOpen(null)}
          />
        </span>
      )}
    </span>
  );
}

export interface DateTimeInputProps extends Omit<DateInputProps, 'value' | 'onChange'> {
  /** YYYY-MM-DDTHH:MM (a datetime-local input's value), or '' for none. */
  value: string;
  onChange: (value: string) => void;
}

/** Date (YYYY-MM-DD with a calendar) and 24-hour time (HH:MM): the value of a datetime-local input. */
export function DateTimeInput(props: DateTimeInputProps) {
  const [day, time] = props.value ? (props.value.split('T') as [string, string]) : ['', ''];
  const [timeText, setTimeText] = useState(time);
  const [badTime, setBadTime] = useState(false);
  useEffect(() => {
    setTimeText(time);
    setBadTime(false);
  }, [time]);
  const emit = (d: string, t: string) => props.onChange(d ? `${d}T${t || '09:00'}` : '');
  return (
    <span className="datetime-input" role="group" aria-label={props['aria-label']}>
      <DateInput {...props} aria-label={props.id ? undefined : '日期'} value={day} onChange={(d) => emit(d, time)} />
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className="time-input"
        placeholder="时:分"
        aria-label="时间(24小时制)"
        size={5}
        value={timeText}
        disabled={!day}
        onChange={(e) => setTimeText(e.target.value)}
        onBlur={() => {
          const t = normalizeTime(timeText);
          setBadTime(t === null && timeText.trim() !== '');
          if (t !== null && t !== time) emit(day, t);
          else if (t !== null) setTimeText(t);
        }}
        aria-invalid={badTime || props['aria-invalid'] ? true : undefined}
        aria-describedby={props['aria-describedby']}
        title="24 小时制,如 15:30"
      />
    </span>
  );
}
