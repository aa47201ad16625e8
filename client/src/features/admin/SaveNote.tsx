/** What came of a save: 已保存 or the server's reasons, one per line. */
export type SaveResult = { ok: true } | { ok: false; lines: string[] } | null;

export function SaveNote({ result }: { result: SaveResult }) {
  if (!result) return null;
  if (result.ok)
    return (
      <div role="status" className="ok-note">
        已保存,立即生效
      </div>
    );
  return (
    <div role="alert" className="alert alert-error">
      {result.lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </div>
  );
}
