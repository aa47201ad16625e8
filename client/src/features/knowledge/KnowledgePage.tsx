import { useCallback, useEffect, useRef, useState } from 'react';
import type { KnowledgeEntry } from '../../contract';
import { categoryName } from '../../shared/labels';
import { knowledge } from '../../app/root';
import { useAppStore } from '../../app/store';
import { canEditKnowledge, markTerms, splitMarked } from './rules';
import { focusFirst, Marked, moveFocus, SearchInput } from './KnowledgePanel';
import { EntryView } from './EntryView';
import { KnowledgeEditor } from './KnowledgeEditor';
import { WrappedField } from '../../shared/components/Field';

const PAGE_LIMIT = 50;

type Pane = { kind: 'none' } | { kind: 'view'; entry: KnowledgeEntry } | { kind: 'edit'; entry: KnowledgeEntry } | { kind: 'create' };

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
            placeholder="搜索问题、答复、法律依据或关键词(可用拼音或首字母)"
            onQuery={setQ}
            onArrowDown={() => focusFirst(listRef.current)}
            inputRef={inputRef}
            className="kb-toolbar-search"
          />
          <WrappedField className="kb-filter" labelClassName="sr-only" label="按类别筛选">
            <select value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">全部类别</option>
              {(reference?.categories ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </WrappedField>
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
                  <Marked parts={markTerms(hit.question, search.terms.join(' '))} />
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
