import { KnowledgeRepository } from '../features/knowledge/knowledge-repository.js';
import { KnowledgeService } from '../features/knowledge/knowledge-service.js';
import { seedKnowledgeIfEmpty } from '../seed/knowledge-entries.js';
import type { AppDeps } from '../app.js';
import type { AccountParts } from './accounts.js';
import type { EngineParts } from './engine.js';

/** The knowledge base (features/knowledge): seeded with its starter set when empty, then indexed. */
export function buildKnowledge(deps: AppDeps, { engine, record }: EngineParts & AccountParts) {
  const { db, clock, logger } = deps;
  const knowledge = new KnowledgeService({
    db,
    knowledge: new KnowledgeRepository(db),
    clock,
    categories: () => engine.config.categories,
    audit: record,
  });
  const seededKnowledge = seedKnowledgeIfEmpty(db, clock);
  if (seededKnowledge > 0) logger.info({ entries: seededKnowledge }, 'seeded the knowledge base with its starter set');
  const indexedKnowledge = knowledge.ensureSearchIndex();
  if (indexedKnowledge > 0) logger.info({ entries: indexedKnowledge }, 'indexed the knowledge base for short words and pinyin');

  return { knowledge };
}

export type KnowledgeParts = ReturnType<typeof buildKnowledge>;
