/**
 * A minimal WebSocket reader for the fan-out benchmark: thousands of these
 * cost the load generator little, so the server, not the client, is what
 * gets measured. It does the upgrade handshake, then drains its socket in
 * bulk now and then, counting text frames and keeping the last one.
 */

/** A raw WebSocket connection that only reads. */
export class RawWsReader {
  frames = 0;
  last = "";
  #conn: Deno.TcpConn;
  #pending = new Uint8Array(0);
  #buf = new Uint8Array(64 * 1024);

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Connects and completes the upgrade to a WebSocket. */
  static async open(port: number, path: string): Promise<RawWsReader> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await conn.write(new TextEncoder().encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ));
    const reader = new RawWsReader(conn);
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const n = await conn.read(reader.#buf);
      if (n === null) throw new Error("closed during the handshake");
      head += new TextDecoder("latin1").decode(reader.#buf.subarray(0, n));
      if (head.includes("\r\n\r\n")) {
        if (!head.startsWith("HTTP/1.1 101")) {
          throw new Error(`upgrade refused: ${head.split("\r\n")[0]}`);
        }
        const bodyStart = head.indexOf("\r\n\r\n") + 4;
        reader.#consume(reader.#buf.slice(bodyStart, n));
      }
    }
    return reader;
  }

  /** Reads whatever has arrived, without waiting once the socket is drained. */
  async drain(): Promise<void> {
    // A short read means the kernel buffer is empty for now.
    while (true) {
      const n = await this.#conn.read(this.#buf);
      if (n === null) return;
      this.#consume(this.#buf.slice(0, n));
      if (n < this.#buf.length) return;
    }
  }

  #consume(chunk: Uint8Array) {
    const data = new Uint8Array(this.#pending.length + chunk.length);
    data.set(this.#pending);
    data.set(chunk, this.#pending.length);
    let at = 0;
    while (data.length - at >= 2) {
      let len = data[at + 1] & 0x7f;
      let head = 2;
      if (len === 126) {
        if (data.length - at < 4) break;
        len = (data[at + 2] << 8) | data[at + 3];
        head = 4;
      } else if (len === 127) {
        throw new Error("frame too large for the benchmark reader");
      }
      if (data.length - at < head + len) break;
      if ((data[at] & 0x0f) === 1) {
        this.frames++;
        this.last = new TextDecoder().decode(data.subarray(at + head, at + head + len));
      }
      at += head + len;
    }
    this.#pending = data.slice(at);
  }

  close(): void {
    this.#conn.close();
  }
}
