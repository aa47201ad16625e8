/**
 * Reading a far side's HTTP answer without trusting its size: at most `maxBytes` are read, the
 * rest of the stream is cancelled. Used for 12345's answers (the outbox, the ticket fetch), which
 * are small; a huge or endless body must not fill the router's memory.
 */
export async function readCappedText(res: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || !value) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  // A character cut at the limit decodes as U+FFFD: the text is only shown or refused then.
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}
