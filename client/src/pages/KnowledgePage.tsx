/** 知识库: search and read for everyone; supervisors and admins maintain it. */
export function KnowledgePage() {
  return (
    <div className="knowledge-page">
      <section className="panel">
        <h2 className="panel-title">知识库</h2>
      </section>
    </div>
  );
}
