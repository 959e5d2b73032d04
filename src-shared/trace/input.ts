// Pulls bytes from any chunk source (a File stream in a worker, a Node file stream, an array in tests) into a
// sliding window, so the decoder sees contiguous bytes for one batch at a time and never holds the whole file.

export type ChunkSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>

export class ChunkedInput {
  private buf = new Uint8Array(1 << 16)
  private start = 0
  private end = 0
  /** File offset of buf[start]. */
  private base = 0
  private eof = false
  private readonly it: AsyncIterator<Uint8Array> | Iterator<Uint8Array>

  /** startOffset: the file offset of the source's first byte (a reader that starts after the header). */
  constructor(source: ChunkSource, private readonly onBytes?: (total: number) => void, startOffset = 0) {
    this.base = startOffset
    this.it = Symbol.asyncIterator in source ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]() : (source as Iterable<Uint8Array>)[Symbol.iterator]()
  }

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.base
  }

  get available(): number {
    return this.end - this.start
  }

  get atEof(): boolean {
    return this.eof && this.start === this.end
  }

  /** Makes at least n bytes available unless the source ends first; returns how many are available. */
  async fill(n: number): Promise<number> {
    while (this.end - this.start < n && !this.eof) {
      const r = await this.it.next()
      if (r.done) {
        this.eof = true
        break
      }
      this.append(r.value)
    }
    return this.end - this.start
  }

  private append(chunk: Uint8Array): void {
    const have = this.end - this.start
    if (this.end + chunk.length > this.buf.length) {
      if (have + chunk.length <= this.buf.length && this.start > 0) this.buf.copyWithin(0, this.start, this.end)
      else {
        const next = new Uint8Array(Math.max(this.buf.length * 2, have + chunk.length))
        next.set(this.buf.subarray(this.start, this.end))
        this.buf = next
      }
      this.end = have
      this.start = 0
    }
    this.buf.set(chunk, this.end)
    this.end += chunk.length
    this.onBytes?.(this.base + (this.end - this.start))
  }

  /** A view of the available bytes (valid until the next fill). */
  view(): { bytes: Uint8Array; start: number; end: number; fileOffset: number } {
    return { bytes: this.buf, start: this.start, end: this.end, fileOffset: this.base - this.start }
  }

  consume(n: number): void {
    this.start += n
    this.base += n
  }

  /**
   * Everything not yet consumed, as chunks (what is buffered, then the rest of the source), consuming it: for handing
   * the bytes on to a reader in another thread.
   */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.end > this.start) {
      const buffered = this.buf.slice(this.start, this.end)
      this.consume(buffered.length)
      yield buffered
    }
    this.buf = new Uint8Array(0)
    this.start = this.end = 0
    while (!this.eof) {
      const r = await this.it.next()
      if (r.done) {
        this.eof = true
        break
      }
      this.base += r.value.length
      this.onBytes?.(this.base)
      yield r.value
    }
  }

  /** The next n bytes (available: see fill) as a view, valid until the next fill; consumes them. */
  peek(n: number): Uint8Array {
    const out = this.buf.subarray(this.start, this.start + n)
    this.consume(n)
    return out
  }

  /** Copies out n bytes and consumes them. */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.start, this.start + n)
    this.consume(n)
    return out
  }
}

/** Adapts a ReadableStream (File.stream(), fetch bodies) to an async iterable of chunks. */
export async function* streamChunks(stream: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; releaseLock(): void } }): AsyncIterable<Uint8Array> {
  const reader = stream.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      if (value) yield value
    }
  } finally {
    reader.releaseLock()
  }
}
