// Cutting outgoing bytes into Output payloads of at most 1024 bytes, as the agent reads them.

export const STREAM_DATA_PAYLOAD_SIZE = 1024;

export function slices(data: Buffer, size = STREAM_DATA_PAYLOAD_SIZE): Buffer[] {
  const parts: Buffer[] = [];
  for (let start = 0; start < data.length; start += size) {
    parts.push(data.subarray(start, start + size));
  }
  return parts;
}

/**
 * Like `slices`, but never cuts a UTF-8 sequence in two: an incomplete sequence at the end is
 * kept for the next push, as the agent does for command output.
 */
export class Utf8Chunker {
  private pending = Buffer.alloc(0);

  constructor(private readonly size = STREAM_DATA_PAYLOAD_SIZE) {}

  push(data: Buffer): Buffer[] {
    const buffer = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    const complete = completeLength(buffer);
    this.pending = Buffer.from(buffer.subarray(complete));

    const parts: Buffer[] = [];
    let start = 0;
    while (start < complete) {
      let end = Math.min(start + this.size, complete);
      if (end < complete) end = boundaryBefore(buffer, end, start);
      parts.push(buffer.subarray(start, end));
      start = end;
    }
    return parts;
  }

  flush(): Buffer[] {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest.length > 0 ? [rest] : [];
  }
}

const isContinuation = (byte: number) => (byte & 0xc0) === 0x80;

/** Moves a cut back over up to three continuation bytes so that it falls between characters. */
function boundaryBefore(buffer: Buffer, end: number, start: number): number {
  let cut = end;
  while (cut > start && end - cut < 3 && isContinuation(buffer[cut])) cut--;
  return cut > start && !isContinuation(buffer[cut]) ? cut : end;
}

/** Length of `buffer` without a trailing, not yet complete UTF-8 sequence. */
function completeLength(buffer: Buffer): number {
  let lead = buffer.length - 1;
  while (lead >= 0 && buffer.length - lead <= 3 && isContinuation(buffer[lead])) lead--;
  if (lead < 0) return buffer.length;
  const byte = buffer[lead];
  const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead + needed > buffer.length ? lead : buffer.length;
}
