// The API's own database, reached with psql (e2e/run exports DATABASE_URL to the tests as to the API): for the few
// states only a broken server leaves behind, such as a bulk action whose process died half-way.
import { spawn } from 'node:child_process';

/** One psql session: one connection, so its transaction and its locks stay its own until `close`. */
export class Psql {
  private readonly process = spawn('psql', [databaseUrl(), '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1']);
  private output = '';
  private errors = '';
  private pending: { marker: string; resolve: (rows: string[]) => void; reject: (error: Error) => void }[] = [];
  private count = 0;
  private pid: Promise<string> | undefined;

  constructor() {
    this.process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
      this.settle();
    });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.errors += chunk));
    this.process.on('close', (code) => {
      for (const { reject } of this.pending.splice(0)) reject(new Error(`psql ended (${code}): ${this.errors}`));
    });
  }

  /** Sends `sql`; resolves with its rows (columns joined by "|") once psql has run it, which for a statement
   *  that waits for a lock is when it has the lock. */
  run(sql: string): Promise<string[]> {
    const marker = `--done ${++this.count}--`;
    const done = new Promise<string[]>((resolve, reject) => this.pending.push({ marker, resolve, reject }));
    this.process.stdin.write(`${sql}\n\\echo '${marker}'\n`);
    return done;
  }

  async value(sql: string): Promise<string> {
    return (await this.run(sql))[0] ?? '';
  }

  /** The session's server process, as pg_stat_activity and pg_blocking_pids name it. */
  backendPid(): Promise<string> {
    this.pid ??= this.value('SELECT pg_backend_pid();');
    return this.pid;
  }

  async close() {
    if (this.process.exitCode !== null) return;
    const closed = new Promise((resolve) => this.process.once('close', resolve));
    this.process.stdin.end();
    await closed;
  }

  private settle() {
    for (let next = this.pending[0]; next; next = this.pending[0]) {
      const at = this.output.indexOf(`${next.marker}\n`);
      if (at < 0) return;
      const rows = this.output.slice(0, at).split('\n').filter(Boolean);
      this.output = this.output.slice(at + next.marker.length + 1);
      this.pending.shift();
      next.resolve(rows);
    }
  }
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the browser tests through e2e/run');
  return url;
}

/** A quoted SQL string literal. */
export const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** `count` copies of the interaction `id` in its site, every column but the id as it is: many records at once,
 *  each as valid as the one the API wrote. */
export async function copyInteraction(session: Psql, id: number, count: number) {
  await session.run(`DO $$ DECLARE columns text; BEGIN
    SELECT string_agg(quote_ident(column_name), ', ') INTO columns FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'interactions' AND column_name <> 'id'
        AND is_generated = 'NEVER';
    EXECUTE format('INSERT INTO interactions (%s) SELECT %s FROM interactions, generate_series(1, %s) WHERE id = %s',
                   columns, columns, ${count}, ${id});
  END $$;`);
}
