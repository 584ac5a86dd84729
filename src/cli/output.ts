import { DEFAULT_ACCOUNT } from '../copy/account-region.js';
/** Where a command writes; the entry point passes the process's streams, tests pass collectors. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: Output = {
  stdout: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** A plain text table: a header row and aligned columns, no borders. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/**
 * The cells of an ACCOUNT column: present once any of `accounts` is another than the service's own (`default`), so a
 * deployment of one account sees its tables as they always were.
 */
export function accountColumn(accounts: Iterable<string>): (cell: string) => string[] {
  const shown = [...accounts].some((a) => a !== DEFAULT_ACCOUNT);
  return (cell) => (shown ? [cell] : []);
}
