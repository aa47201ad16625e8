import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { KnowledgeEntry, KnowledgeHit } from '../../contract';
import { categoryName } from '../../shared/labels';
import { knowledge } from '../../app/root';
import { useAppStore } from '../../app/store';
import { markTerms, splitMarked, type MarkedPart } from './rules';

/** Quiet time after the last keystroke before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 300;
const PANEL_LIMIT = 10;

export interface KnowledgePanelProps {
  /** The current call's category: suggestions come from it while the search box is empty. */
  categoryId: string | null;
  /** 插入小结: the seat takes this entry's answer into the call summary. */
  onInsert: (entry: KnowledgeEntry) => void;
}

/** Text with marked runs as <mark>; React escapes every run, nothing is read as HTML. */
export function Marked({ parts }: { parts: MarkedPart[] }) {
  return <>{parts.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

export interface SearchInputProps {
  label: string;
  placeholder?: string;
  /** Called with the trimmed text once typing pauses, on Enter at once, and with '' on Esc. */
  onQuery: (q: string) => void;
  /** ↓ from the box: move into the results. */
  onArrowDown?: () => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  className?: string;
}

/**
 * A search box for Chinese input methods: nothing is searched while a composition is open
 * (the pinyin "laodong" is not a query); the composed text is searched when it is committed.
 */
export function SearchInput({ label, placeholder, onQuery, onArrowDown, inputRef, className }: SearchInputProps) {
  const [value, setValue] = useState('');
  const composing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancel = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  };
  const schedule = (text: string) => {
    cancel();
    timer.current = setTimeout(() => {
      timer.current = null;
      onQuery(text.trim());
    }, SEARCH_DEBOUNCE_MS);
  };
  useEffect(() => cancel, []);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // Keys that confirm a candidate in the input method belong to it.
    if (composing.current || e.nativeEvent.isComposing) return;
    // Modified keys (Ctrl+Enter files the summary) belong to the page's shortcuts.
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      cancel();
      onQuery(e.currentTarget.value.trim());
    } else if (e.key === 'Escape' && value) {
      e.preventDefault();
      cancel();
      setValue('');
      onQuery('');
    } else if (e.key === 'ArrowDown' && onArrowDown) {
      e.preventDefault();
      onArrowDown();
    }
  };

  return (
    <label className={`kb-search ${className ?? ''}`.trim()}>
      <span className="sr-only">{label}</span>
      <input
        ref={inputRef}
        type="search"
        value={value}
        placeholder={placeholder}
        maxLength={100}
        autoComplete="off"
        enterKeyHint="search"
        onChange={(e) => {
          setValue(e.target.value);
          if (!composing.current && !(e.nativeEvent as InputEvent).isComposing) schedule(e.target.value);
        }}
        onCompositionStart={() => {
          composing.current = true;
          cancel();
        }}
        onCompositionEnd={(e) => {
          composing.current = false;
          // Some browsers send the final input event after compositionend, some before: search
          // the committed text from here either way.
          setValue(e.currentTarget.value);
          schedule(e.currentTarget.value);
        }}
        onKeyDown={onKeyDown}
      />
    </label>
  );
}

/**
 * ↑/↓ between the result buttons marked `data-nav` inside `list`, ↑ from the first back to
 * the search box. Enter and Space are the buttons' own.
 */
export function moveFocus(e: KeyboardEvent<HTMLElement>, list: HTMLElement | null, back: () => void): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
  const items = [...(list?.querySelectorAll<HTMLElement>('[data-nav]') ?? [])];
  const at = items.indexOf(e.currentTarget);
  if (at < 0) return;
  e.preventDefault();
  const next =
    e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : e.key === 'ArrowDown' ? Math.min(at + 1, items.length - 1) : at - 1;
  if (next < 0) back();
  else items[next]?.focus();
}

export function focusFirst(list: HTMLElement | null): void {
  list?.querySelector<HTMLElement>('[data-nav]')?.focus();
}

function HitItem(props: {
  hit: KnowledgeHit;
  /** The words to mark in the question, space-separated. */
  marks: string;
  open: boolean;
  inserted: boolean;
  onToggle: () => void;
  onInsert: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
}) {
  const { hit, marks } = props;
  const reference = useAppStore((s) => s.reference);
  const bodyId = `kb-hit-${useId()}`;
  return (
    <li className={props.open ? 'kb-hit open' : 'kb-hit'}>
      <div className="kb-hit-row">
        <button
          type="button"
          className="kb-hit-head"
          data-nav
          aria-expanded={props.open}
          aria-controls={bodyId}
          onClick={props.onToggle}
          onKeyDown={props.onKeyDown}
        >
          <span className="kb-hit-q">
            <Marked parts={markTerms(hit.question, marks)} />
          </span>
          <span className="kb-hit-cat">{categoryName(hit.categoryId, reference)}</span>
          {!props.open && hit.snippet && (
            <span className="kb-hit-snippet">
              <Marked parts={splitMarked(hit.snippet)} />
            </span>
          )}
        </button>
        <button type="button" className="btn btn-small kb-insert" onClick={props.onInsert} aria-label={`插入小结:${hit.question}`}>
          {props.inserted ? '已插入' : '插入小结'}
        </button>
      </div>
      {props.open && (
        <div className="kb-hit-body" id={bodyId}>
          <h4>标准答复</h4>
          <p className="kb-text">{hit.answer}</p>
          {hit.legalBasis && (
            <>
              <h4>法律依据</h4>
              <p className="kb-text kb-basis">{hit.legalBasis}</p>
            </>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * 知识库 on the seat workbench: the standard answers of the call's category while the box is
 * empty, search results as the seat types; one click puts an answer into the summary.
 */
export function KnowledgePanel({ categoryId, onInsert }: KnowledgePanelProps) {
  const search = useAppStore((s) => s.knowledge.panel);
  const reference = useAppStore((s) => s.reference);
  const [q, setQ] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);
  const [inserted, setInserted] = useState<{ id: number; question: string } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const idle = !q && !categoryId;

  // Searches the current query: again whenever it changes, and on 重试.
  const run = useCallback(() => {
    if (idle) return;
    const query = { q, category: categoryId };
    void knowledge.search('panel', query, PANEL_LIMIT);
  }, [idle, q, categoryId]);
  useEffect(run, [run]);

  useEffect(() => {
    if (!inserted) return;
    const t = setTimeout(() => setInserted(null), 2_500);
    return () => clearTimeout(t);
  }, [inserted]);

  // Hits answer the last finished query; while a newer one runs they stay, marked as loading.
  const answered = search.query;
  const showHits = !idle && answered !== null;
  const heading = q ? '搜索结果' : categoryId ? `${categoryName(categoryId, reference)} · 常见问题` : '知识库';
  const insert = (hit: KnowledgeHit) => {
    const { snippet: _snippet, ...entry } = hit;
    onInsert(entry);
    setInserted({ id: hit.id, question: hit.question });
  };

  return (
    <section className="panel knowledge-panel" aria-label="知识库">
      <h2 className="panel-title">知识库</h2>
      <SearchInput
        label="搜索知识库"
        placeholder="输入关键词、口语或拼音,如:欠薪、被打了、qx"
        onQuery={setQ}
        onArrowDown={() => focusFirst(listRef.current)}
        inputRef={inputRef}
      />
      <div className="kb-status" role="status" aria-live="polite">
        {inserted ? `已将「${inserted.question}」插入小结` : search.loading ? '正在搜索…' : ''}
      </div>
      {idle && <p className="muted kb-hint">输入关键词搜索标准答复;接听来电后,这里先列出该类别的常见问题。</p>}
      {search.error && !idle && (
        <div className="alert alert-error inline-error" role="alert">
          <span>{search.error}</span>
          <button type="button" className="link" onClick={run}>
            重试
          </button>
        </div>
      )}
      {showHits && (
        <>
          <h3 className="kb-heading">{heading}</h3>
          {search.hits.length === 0 && !search.loading ? (
            <p className="muted kb-hint">
              {answered.q ? `未找到与“${answered.q}”相关的条目,可换个说法或拆成两个词再试。` : '该类别暂无条目。'}
            </p>
          ) : (
            <ul className="kb-hits" ref={listRef} aria-label={heading} aria-busy={search.loading}>
              {search.hits.map((hit) => (
                <HitItem
                  key={hit.id}
                  hit={hit}
                  marks={search.terms.join(' ')}
                  open={openId === hit.id}
                  inserted={inserted?.id === hit.id}
                  onToggle={() => setOpenId(openId === hit.id ? null : hit.id)}
                  onInsert={() => insert(hit)}
                  onKeyDown={(e) => moveFocus(e, listRef.current, () => inputRef.current?.focus())}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
