import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { KNOWLEDGE_LIMITS, type KnowledgeEntry, type ReferenceData } from '../../contract';
import { categoryName } from '../../shared/labels';
import { errorMessage } from '../../shared/errors';
import { knowledge } from '../../app/root';
import { useAppStore } from '../../app/store';
import {
  canEditKnowledge,
  editorErrorOf,
  EMPTY_KNOWLEDGE_FORM,
  formOf,
  markTerms,
  splitKeywords,
  splitMarked,
  validateKnowledgeForm,
  type KnowledgeField,
  type KnowledgeFieldErrors,
  type KnowledgeForm,
} from './slice';
import { focusFirst, Marked, moveFocus, SearchInput } from './KnowledgePanel';
import { FieldErrors } from '../../shared/components/FieldErrors';
import { formatDateTime } from '../../shared/format';

const PAGE_LIMIT = 50;

type Pane = { kind: 'none' } | { kind: 'view'; entry: KnowledgeEntry } | { kind: 'edit'; entry: KnowledgeEntry } | { kind: 'create' };

// ---------------------------------------------------------------- editor


const FIELD_ORDER: KnowledgeField[] = ['categoryId', 'question', 'answer', 'legalBasis', 'keywords'];

interface EditorProps {
  /** The entry being edited; null creates one. */
  base: KnowledgeEntry | null;
  defaultCategory: string;
  reference: ReferenceData | null;
  onSaved: (entry: KnowledgeEntry, created: boolean) => void;
  onCancel: () => void;
  /** The entry was retired or changed elsewhere and reloaded: show this version instead. */
  onReloaded: (entry: KnowledgeEntry | null) => void;
  /** Told whether the form differs from what it started with. */
  onDirty?: (dirty: boolean) => void;
}

/**
 * Create or edit one entry. The contract's schema checks the form before it is sent (the same
 * rules the server applies); the server's own field messages show under the same fields, and a
 * stale version (409) offers to load the current one.
 */
export function KnowledgeEditor({ base, defaultCategory, reference, onSaved, onCancel, onReloaded, onDirty }: EditorProps) {
  const [initial] = useState<KnowledgeForm>(() => (base ? formOf(base) : { ...EMPTY_KNOWLEDGE_FORM, categoryId: defaultCategory }));
  const [form, setForm] = useState<KnowledgeForm>(initial);
  const dirty = (Object.keys(initial) as KnowledgeField[]).some((k) => initial[k] !== form[k]);
  useEffect(() => {
    onDirty?.(dirty);
  }, [dirty, onDirty]);
  useEffect(() => () => onDirty?.(false), [onDirty]);
  const [fields, setFields] = useState<KnowledgeFieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState<'save' | 'reload' | null>(null);
  const bannerRef = useRef<HTMLDivElement>(null);
  // The save button is at the bottom of a long form: bring a failure at its top into view.
  useEffect(() => {
    if (!conflict && !message) return;
    bannerRef.current?.scrollIntoView?.({ block: 'nearest' });
    bannerRef.current?.focus({ preventScroll: true });
  }, [conflict, message]);
  const uid = useId();
  const idOf = (f: KnowledgeField) => `${uid}-${f}`;

  const set = (field: KnowledgeField, value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    if (fields[field]) setFields((e) => ({ ...e, [field]: undefined }));
  };
  const focusFirstError = (errs: KnowledgeFieldErrors) => {
    const first = FIELD_ORDER.find((f) => errs[f]?.length);
    if (first) document.getElementById(idOf(first))?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setMessage(null);
    const checked = validateKnowledgeForm(form);
    if (!checked.ok) {
      setFields(checked.fields);
      focusFirstError(checked.fields);
      return;
    }
    setFields({});
    setBusy('save');
    const ack = await knowledge.save(base, checked.input);
    setBusy(null);
    if (ack.ok) {
      onSaved(ack.data, base === null);
      return;
    }
    if (ack.error.code === 'UNAUTHENTICATED') return;
    const shown = editorErrorOf(ack.error);
    setConflict(shown.conflict);
    setFields(shown.fields);
    setMessage(shown.message);
    focusFirstError(shown.fields);
  };

  const reload = async () => {
    if (!base) return;
    setBusy('reload');
    const ack = await knowledge.reload(base.id);
    setBusy(null);
    if (ack.ok) {
      onReloaded(ack.data);
    } else if (ack.error.code === 'NOT_FOUND') {
      onReloaded(null);
    } else {
      setMessage(errorMessage(ack.error));
    }
  };

  const invalid = (f: KnowledgeField) => (fields[f]?.length ? true : undefined);
  const described = (f: KnowledgeField, hint?: string) =>
    [fields[f]?.length ? `${idOf(f)}-errors` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  const count = (s: string, max: number) => (
    <span className={Array.from(s.trim()).length > max ? 'kb-count over' : 'kb-count'}>
      {Array.from(s.trim()).length}/{max}
    </span>
  );
  const keywordCount = splitKeywords(form.keywords).length;

  return (
    <form className="kb-editor" onSubmit={(e) => void submit(e)} noValidate aria-label={base ? '编辑知识库条目' : '新建知识库条目'}>
      <div className="kb-editor-head">
        <h2>{base ? '编辑条目' : '新建条目'}</h2>
        {base && <span className="muted small">当前版本 {base.version} · 编号 {base.id}</span>}
      </div>

      <div ref={bannerRef} tabIndex={-1} className="kb-banner">
        {conflict && base && (
          <div className="alert alert-error kb-conflict" role="alert">
            <p>该条目已被他人修改,您基于的版本 {base.version} 已不是最新,本次修改未保存。</p>
            <p className="small">载入最新版本会替换表单中的内容;如需保留,请先复制您的修改。</p>
            <div className="kb-actions">
              <button type="button" className="btn btn-small" onClick={() => void reload()} disabled={busy !== null}>
                {busy === 'reload' ? '正在载入…' : '载入最新版本'}
              </button>
            </div>
          </div>
        )}
        {message && (
          <div className="alert alert-error" role="alert">
            {message}
          </div>
        )}
      </div>

      <div className="kb-label-row">
        <label htmlFor={idOf('categoryId')}>类别</label>
      </div>
      <select
        id={idOf('categoryId')}
        className="kb-input"
        value={form.categoryId}
        onChange={(e) => set('categoryId', e.target.value)}
        aria-invalid={invalid('categoryId')}
        aria-describedby={described('categoryId')}
      >
        <option value="">请选择类别</option>
        {(reference?.categories ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
        {form.categoryId && !reference?.categories.some((c) => c.id === form.categoryId) && <option value={form.categoryId}>{form.categoryId}</option>}
      </select>
      <FieldErrors id={`${idOf('categoryId')}-errors`} messages={fields.categoryId} />

      <div className="kb-label-row">
        <label htmlFor={idOf('question')}>标准问题</label>
        {count(form.question, KNOWLEDGE_LIMITS.question)}
      </div>
      <input
        id={idOf('question')}
        className="kb-input"
        value={form.question}
        onChange={(e) => set('question', e.target.value)}
        placeholder="来电人常问的说法,如:公司拖欠工资怎么办?"
        aria-invalid={invalid('question')}
        aria-describedby={described('question')}
      />
      <FieldErrors id={`${idOf('question')}-errors`} messages={fields.question} />

      <div className="kb-label-row">
        <label htmlFor={idOf('answer')}>标准答复</label>
        {count(form.answer, KNOWLEDGE_LIMITS.answer)}
      </div>
      <textarea
        id={idOf('answer')}
        className="kb-input"
        rows={8}
        value={form.answer}
        onChange={(e) => set('answer', e.target.value)}
        aria-invalid={invalid('answer')}
        aria-describedby={described('answer')}
      />
      <FieldErrors id={`${idOf('answer')}-errors`} messages={fields.answer} />

      <div className="kb-label-row">
        <label htmlFor={idOf('legalBasis')}>法律依据</label>
        {count(form.legalBasis, KNOWLEDGE_LIMITS.legalBasis)}
      </div>
      <textarea
        id={idOf('legalBasis')}
        className="kb-input"
        rows={3}
        value={form.legalBasis}
        onChange={(e) => set('legalBasis', e.target.value)}
        placeholder="如:《中华人民共和国劳动合同法》第三十条"
        aria-invalid={invalid('legalBasis')}
        aria-describedby={described('legalBasis')}
      />
      <FieldErrors id={`${idOf('legalBasis')}-errors`} messages={fields.legalBasis} />

      <div className="kb-label-row">
        <label htmlFor={idOf('keywords')}>关键词</label>
        <span className={keywordCount > KNOWLEDGE_LIMITS.keywords ? 'kb-count over' : 'kb-count'}>
          {keywordCount}/{KNOWLEDGE_LIMITS.keywords}
        </span>
      </div>
      <input
        id={idOf('keywords')}
        className="kb-input"
        value={form.keywords}
        onChange={(e) => set('keywords', e.target.value)}
        placeholder="欠薪、拖欠工资、劳动仲裁"
        aria-invalid={invalid('keywords')}
        aria-describedby={described('keywords', `${idOf('keywords')}-hint`)}
      />
      <p className="hint" id={`${idOf('keywords')}-hint`}>
        用顿号、逗号或空格分隔,帮助坐席用口语说法搜到本条。
      </p>
      <FieldErrors id={`${idOf('keywords')}-errors`} messages={fields.keywords} />

      <div className="kb-actions">
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          {busy === 'save' ? '正在保存…' : base ? '保存修改' : '创建条目'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy === 'save'}>
          取消
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- read view

function EntryView(props: { entry: KnowledgeEntry; editable: boolean; reference: ReferenceData | null; onEdit: () => void; onRetired: () => void }) {
  const { entry, reference } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setConfirming(false);
    setError(null);
  }, [entry.id]);

  const retire = async () => {
    setBusy(true);
    const ack = await knowledge.retire(entry.id);
    setBusy(false);
    // Already retired elsewhere: the outcome is the same.
    if (ack.ok || ack.error.code === 'NOT_FOUND') {
      props.onRetired();
    } else if (ack.error.code === 'UNAUTHENTICATED') {
      // signed out by the controller
    } else {
      setError(errorMessage(ack.error));
    }
  };

  return (
    <article className="kb-entry" aria-labelledby={`kb-entry-${entry.id}`}>
      <div className="kb-entry-meta">
        <span className="badge badge-cat">{categoryName(entry.categoryId, reference)}</span>
        <span className="muted small">
          版本 {entry.version} · {entry.updatedBy} 更新于 {formatDateTime(entry.updatedAt)}
        </span>
      </div>
      <h2 id={`kb-entry-${entry.id}`} className="kb-entry-q">
        {entry.question}
      </h2>
      <h3>标准答复</h3>
      <p className="kb-text">{entry.answer}</p>
      <h3>法律依据</h3>
      <p className="kb-text kb-basis">{entry.legalBasis || <span className="muted">未填写</span>}</p>
      {entry.keywords.length > 0 && (
        <>
          <h3>关键词</h3>
          <div className="badges">
            {entry.keywords.map((k) => (
              <span key={k} className="badge">
                {k}
              </span>
            ))}
          </div>
        </>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {props.editable &&
        (confirming ? (
          <div className="kb-confirm" role="group" aria-label="确认停用">
            <p>停用后坐席将无法再搜索到此条目,已引用它的小结不受影响。确认停用?</p>
            <div className="kb-actions">
              <button type="button" className="btn btn-danger" onClick={() => void retire()} disabled={busy}>
                {busy ? '正在停用…' : '确认停用'}
              </button>
              <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={busy}>
                取消
              </button>
            </div>
          </div>
        ) : (
          <div className="kb-actions">
            <button type="button" className="btn btn-primary" onClick={props.onEdit}>
              编辑
            </button>
            <button type="button" className="btn btn-danger-ghost" onClick={() => setConfirming(true)}>
              停用
            </button>
          </div>
        ))}
    </article>
  );
}

// ---------------------------------------------------------------- page

/**
 * 知识库: every signed-in user searches and reads the standard answers; supervisors and admins
 * also create, edit and retire them.
 */
export function KnowledgePage() {
  const role = useAppStore((s) => s.user?.role ?? null);
  const reference = useAppStore((s) => s.reference);
  const search = useAppStore((s) => s.knowledge.page);
  const editable = canEditKnowledge(role);
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [pane, setPane] = useState<Pane>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const detailRef = useRef<HTMLElement>(null);
  const dirty = useRef(false);
  const onDirty = useCallback((d: boolean) => {
    dirty.current = d;
  }, []);

  const run = () => {
    const query = { q, category: category || null };
    void knowledge.search('page', query, PAGE_LIMIT);
  };
  useEffect(run, [q, category]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 4_000);
    return () => clearTimeout(t);
  }, [notice]);

  // A new entry, editor or view starts at its top, not where the last one was scrolled to.
  const paneKey = pane.kind === 'view' || pane.kind === 'edit' ? `${pane.kind}:${pane.entry.id}` : pane.kind;
  // (Braces: Chromium's scrollTo returns a promise, and an effect may return only a cleanup.)
  useEffect(() => {
    detailRef.current?.scrollTo?.({ top: 0 });
  }, [paneKey]);

  const selectedId = pane.kind === 'view' || pane.kind === 'edit' ? pane.entry.id : null;
  // The list holds the freshest copy of a shown entry (after a save elsewhere on the page).
  const fresh = (entry: KnowledgeEntry): KnowledgeEntry => {
    const hit = search.hits.find((h) => h.id === entry.id);
    return hit && hit.version > entry.version ? hit : entry;
  };
  const open = (entry: KnowledgeEntry) => {
    // Leaving an editor with changes silently would lose what was typed.
    if (dirty.current && !window.confirm('编辑中的内容尚未保存,确定离开吗?')) return;
    setPane({ kind: 'view', entry });
  };
  const answered = search.query;

  return (
    <div className="knowledge-page">
      <section className="panel kb-list-panel" aria-label="知识库条目">
        <div className="kb-toolbar">
          <SearchInput
            label="搜索知识库"
            placeholder="搜索问题、答复、法律依据或关键词"
            onQuery={setQ}
            onArrowDown={() => focusFirst(listRef.current)}
            inputRef={inputRef}
            className="kb-toolbar-search"
          />
          <label className="kb-filter">
            <span className="sr-only">按类别筛选</span>
            <select value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">全部类别</option>
              {(reference?.categories ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="kb-list-status muted small" role="status" aria-live="polite">
          {search.loading
            ? '正在搜索…'
            : answered
              ? search.hits.length >= PAGE_LIMIT
                ? `显示前 ${PAGE_LIMIT} 条,请缩小范围`
                : `共 ${search.hits.length} 条`
              : ''}
        </div>
        {search.error && (
          <div className="alert alert-error inline-error" role="alert">
            <span>{search.error}</span>
            <button type="button" className="link" onClick={run}>
              重试
            </button>
          </div>
        )}
        {answered && search.hits.length === 0 && !search.loading && !search.error && (
          <p className="empty">{answered.q ? `未找到与“${answered.q}”相关的条目` : '该类别暂无条目'}</p>
        )}
        <ul className="kb-list" ref={listRef} aria-label="条目列表" aria-busy={search.loading}>
          {search.hits.map((hit) => (
            <li key={hit.id}>
              <button
                type="button"
                data-nav
                className={hit.id === selectedId ? 'kb-list-item selected' : 'kb-list-item'}
                aria-current={hit.id === selectedId ? 'true' : undefined}
                onClick={() => open(hit)}
                onKeyDown={(e) => moveFocus(e, listRef.current, () => inputRef.current?.focus())}
              >
                <span className="kb-hit-q">
                  <Marked parts={markTerms(hit.question, answered?.q ?? '')} />
                </span>
                <span className="kb-hit-cat">{categoryName(hit.categoryId, reference)}</span>
                <span className="kb-hit-snippet">
                  <Marked parts={splitMarked(hit.snippet)} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section className="panel kb-detail-panel" aria-label="条目详情" ref={detailRef}>
        <div className="kb-detail-top">
          {editable ? (
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={() => setPane({ kind: 'create' })}
              disabled={pane.kind === 'create' || pane.kind === 'edit'}
            >
              新建条目
            </button>
          ) : (
            <span className="muted small">只读:知识库由班长或系统管理员维护</span>
          )}
          {notice && (
            <span className="kb-notice" role="status">
              {notice}
            </span>
          )}
        </div>
        {pane.kind === 'none' && <p className="empty">从左侧选择一个条目查看标准答复与法律依据。</p>}
        {pane.kind === 'view' && (
          <EntryView
            entry={fresh(pane.entry)}
            editable={editable}
            reference={reference}
            onEdit={() => setPane({ kind: 'edit', entry: fresh(pane.entry) })}
            onRetired={() => {
              setPane({ kind: 'none' });
              setNotice('条目已停用');
            }}
          />
        )}
        {(pane.kind === 'edit' || pane.kind === 'create') && (
          <KnowledgeEditor
            key={pane.kind === 'edit' ? `${pane.entry.id}:${pane.entry.version}` : 'new'}
            base={pane.kind === 'edit' ? pane.entry : null}
            defaultCategory={category}
            reference={reference}
            onDirty={onDirty}
            onSaved={(entry, created) => {
              setPane({ kind: 'view', entry });
              setNotice(created ? '条目已创建' : `已保存,当前版本 ${entry.version}`);
              if (created) run();
            }}
            onCancel={() => setPane(pane.kind === 'edit' ? { kind: 'view', entry: pane.entry } : { kind: 'none' })}
            onReloaded={(entry) => {
              if (entry) {
                setPane({ kind: 'edit', entry });
                setNotice(`已载入最新版本 ${entry.version}`);
              } else {
                setPane({ kind: 'none' });
                setNotice('该条目已被他人停用');
              }
            }}
          />
        )}
      </section>
    </div>
  );
}
