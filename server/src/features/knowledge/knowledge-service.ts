import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { AuditInput } from '../audit/audit-service.js';
import type { SessionUser } from '../auth/auth-service.js';
import { ValidationError } from '../shared/validation.js';
import type { KnowledgeRecord, KnowledgeRecordInput, KnowledgeRepository, KnowledgeSearchHit } from './knowledge-repository.js';

export interface KnowledgeServiceDeps {
  db: Db;
  knowledge: KnowledgeRepository;
  clock: Clock;
  /** The categories of the routing configuration in force (they may change at run time). */
  categories: () => readonly { id: string }[];
  /** The audit log (joins the edit's transaction). */
  audit?: (entry: AuditInput) => void;
}

const notFound = (id: number) => new DomainError('NOT_FOUND', `没有编号为 ${id} 的知识库条目(可能已停用)`);

/**
 * The knowledge base (热线答问标准化知识库): every signed-in user searches and reads it; editors
 * (the knowledge:edit permission) create, edit and retire entries. An entry names a category of
 * the configuration in force; an edit names the version it started from (optimistic concurrency);
 * retiring keeps the entry for the summaries that cite it.
 */
export class KnowledgeService {
  constructor(private readonly o: KnowledgeServiceDeps) {}

  /** The hits, and the strings the search looked for (to mark them). */
  search(q: string, category: string | null, limit: number): { hits: KnowledgeSearchHit[]; terms: string[] } {
    return this.o.knowledge.searchWithTerms({ q, category, limit });
  }

  /** Indexes the entries for 1–2 character and pinyin search if the index is missing or of an older format (at start). */
  ensureSearchIndex(): number {
    return this.o.knowledge.ensureSearchIndex(this.o.clock.now());
  }

  get(id: number): KnowledgeRecord {
    const entry = this.o.knowledge.get(id);
    if (!entry) throw notFound(id);
    return entry;
  }

  create(author: SessionUser, input: KnowledgeRecordInput): KnowledgeRecord {
    this.checkCategory(input.categoryId);
    return immediateTransaction(this.o.db, () => {
      const created = this.o.knowledge.create(input, author.displayName, this.o.clock.now());
      this.o.audit?.({ actor: author, action: 'knowledge.create', target: `knowledge:${created.id}`, after: created });
      return created;
    });
  }

  update(author: SessionUser, id: number, input: KnowledgeRecordInput & { version: number }): KnowledgeRecord {
    this.checkCategory(input.categoryId);
    const { db, knowledge, clock } = this.o;
    const result = db.transaction(() => {
      const before = knowledge.get(id);
      const r = knowledge.update(id, input, author.displayName, clock.now());
      if (r.ok) this.o.audit?.({ actor: author, action: 'knowledge.update', target: `knowledge:${id}`, before, after: r.entry });
      return r;
    })();
    if (result.ok) return result.entry;
    if (result.reason === 'not-found') throw notFound(id);
    throw new DomainError('CONFLICT', '该条目已被他人修改,请刷新后再改');
  }

  retire(author: SessionUser, id: number): void {
    immediateTransaction(this.o.db, () => {
      const before = this.o.knowledge.get(id);
      if (!this.o.knowledge.retire(id, author.displayName, this.o.clock.now())) throw notFound(id);
      this.o.audit?.({ actor: author, action: 'knowledge.retire', target: `knowledge:${id}`, before });
    });
  }

  private checkCategory(categoryId: string): void {
    if (!this.o.categories().some((c) => c.id === categoryId)) {
      throw new ValidationError({ categoryId: [`未知的类别 ${categoryId}`] });
    }
  }
}
