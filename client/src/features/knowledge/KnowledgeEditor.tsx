import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { KNOWLEDGE_LIMITS, type KnowledgeEntry, type ReferenceData } from '../../contract';
import { errorMessage } from '../../shared/errors';
import { Field, fieldAria } from '../../shared/components/Field';
import { knowledge } from '../../app/root';
import {
  editorErrorOf,
  EMPTY_KNOWLEDGE_FORM,
  formOf,
  splitKeywords,
  validateKnowledgeForm,
  type KnowledgeField,
  type KnowledgeFieldErrors,
  type KnowledgeForm,
} from './rules';

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
        {base && (
          <span className="muted small">
            当前版本 {base.version} · 编号 {base.id}
          </span>
        )}
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

      <Field id={idOf('categoryId')} label="类别" errors={fields.categoryId} labelRow={{ className: 'kb-label-row', aside: null }}>
        <select
          id={idOf('categoryId')}
          className="kb-input"
          value={form.categoryId}
          onChange={(e) => set('categoryId', e.target.value)}
          {...fieldAria(idOf('categoryId'), fields.categoryId)}
        >
          <option value="">请选择类别</option>
          {(reference?.categories ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {form.categoryId && !reference?.categories.some((c) => c.id === form.categoryId) && (
            <option value={form.categoryId}>{form.categoryId}</option>
          )}
        </select>
      </Field>

      <Field
        id={idOf('question')}
        label="标准问题"
        errors={fields.question}
        labelRow={{ className: 'kb-label-row', aside: count(form.question, KNOWLEDGE_LIMITS.question) }}
      >
        <input
          id={idOf('question')}
          className="kb-input"
          value={form.question}
          onChange={(e) => set('question', e.target.value)}
          placeholder="来电人常问的说法,如:公司拖欠工资怎么办?"
          {...fieldAria(idOf('question'), fields.question)}
        />
      </Field>

      <Field
        id={idOf('answer')}
        label="标准答复"
        errors={fields.answer}
        labelRow={{ className: 'kb-label-row', aside: count(form.answer, KNOWLEDGE_LIMITS.answer) }}
      >
        <textarea
          id={idOf('answer')}
          className="kb-input"
          rows={8}
          value={form.answer}
          onChange={(e) => set('answer', e.target.value)}
          {...fieldAria(idOf('answer'), fields.answer)}
        />
      </Field>

      <Field
        id={idOf('legalBasis')}
        label="法律依据"
        errors={fields.legalBasis}
        labelRow={{ className: 'kb-label-row', aside: count(form.legalBasis, KNOWLEDGE_LIMITS.legalBasis) }}
      >
        <textarea
          id={idOf('legalBasis')}
          className="kb-input"
          rows={3}
          value={form.legalBasis}
          onChange={(e) => set('legalBasis', e.target.value)}
          placeholder="如:《中华人民共和国劳动合同法》第三十条"
          {...fieldAria(idOf('legalBasis'), fields.legalBasis)}
        />
      </Field>

      <Field
        id={idOf('keywords')}
        label="关键词"
        errors={fields.keywords}
        labelRow={{
          className: 'kb-label-row',
          aside: (
            <span className={keywordCount > KNOWLEDGE_LIMITS.keywords ? 'kb-count over' : 'kb-count'}>
              {keywordCount}/{KNOWLEDGE_LIMITS.keywords}
            </span>
          ),
        }}
        hint={
          <p className="hint" id={`${idOf('keywords')}-hint`}>
            用顿号、逗号或空格分隔,帮助坐席用口语说法搜到本条。
          </p>
        }
      >
        <input
          id={idOf('keywords')}
          className="kb-input"
          value={form.keywords}
          onChange={(e) => set('keywords', e.target.value)}
          placeholder="欠薪、拖欠工资、劳动仲裁"
          {...fieldAria(idOf('keywords'), fields.keywords, `${idOf('keywords')}-hint`)}
        />
      </Field>

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
