import type { KnowledgeEntry } from '../../contract';

export interface KnowledgePanelProps {
  /** The current call's category: suggestions come from it while the search box is empty. */
  categoryId: string | null;
  /** 插入小结: the seat takes this entry's answer into the call summary. */
  onInsert: (entry: KnowledgeEntry) => void;
}

/** 知识库 on the seat workbench. Placeholder; search and suggestions follow. */
export function KnowledgePanel(_props: KnowledgePanelProps) {
  return (
    <section className="panel knowledge-panel" aria-label="知识库">
      <h2>知识库</h2>
    </section>
  );
}
