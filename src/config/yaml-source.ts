import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Pair, YAMLError } from 'yaml';
import type { ConfigIssue } from './config-error.js';
import type { Finding, PathSegment } from './finding.js';
import { formatPath } from './finding.js';

/** A policy file parsed with its positions kept, so any finding can be pointed at a line and column. */
export interface YamlSource {
  /** The plain data, or undefined when the file could not be parsed well enough to validate. */
  readonly value: unknown;
  readonly usable: boolean;
  /** Syntax errors, duplicate keys, YAML warnings, size and alias limits. */
  readonly issues: readonly ConfigIssue[];
  readonly locate: (path: readonly PathSegment[], target: Finding['target']) => Position;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface YamlLimits {
  /** Files larger than this are refused before parsing. */
  readonly maxFileBytes: number;
  /** Aliases resolved per file; more suggests an alias bomb ("billion laughs"). */
  readonly maxAliasCount: number;
}

export const DEFAULT_LIMITS: YamlLimits = { maxFileBytes: 1024 * 1024, maxAliasCount: 100 };

const START: Position = { line: 1, column: 1 };

export function parseYamlSource(file: string, text: string, limits: YamlLimits = DEFAULT_LIMITS): YamlSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    const issue = fileIssue(
      file,
      `the file is ${bytes} bytes; the limit is ${limits.maxFileBytes} bytes per file`,
    );
    return { value: undefined, usable: false, issues: [issue], locate: () => START };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    lineCounter,
    prettyErrors: false,
    merge: true,
    uniqueKeys: true,
  });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issues = yamlErrorIssues(file, doc, at);
  let usable = doc.errors.every((error) => error.code === 'DUPLICATE_KEY');
  let value: unknown;
  if (usable) {
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      usable = false;
      issues.push(...aliasIssues(file, doc, at, error, limits.maxAliasCount));
    }
  }
  const locate = (path: readonly PathSegment[], target: Finding['target']): Position =>
    locateIn(doc, path, target, at);
  return { value, usable, issues, locate };
}

function fileIssue(file: string, message: string): ConfigIssue {
  return { file, line: 0, column: 0, path: '', message };
}

function yamlErrorIssues(file: string, doc: Document, at: (offset: number) => Position): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  // Syntax errors cascade (one bad indent yields several): report the first; the user reruns after fixing it.
  // Duplicate keys and warnings do not cascade: report them all.
  const firstSyntaxError = doc.errors.find((error) => error.code !== 'DUPLICATE_KEY');
  const reported = doc.errors.filter((error) => error.code === 'DUPLICATE_KEY' || error === firstSyntaxError);
  for (const error of [...reported, ...doc.warnings]) {
    const position = at(error.pos[0]);
    const key = `${error.code}:${position.line}`;
    if (seen.has(key)) continue; // one report per line: a bad line often yields several errors
    seen.add(key);
    issues.push({ file, ...position, path: '', message: yamlMessage(doc, error, at) });
  }
  return issues;
}

function yamlMessage(doc: Document, error: YAMLError, at: (offset: number) => Position): string {
  if (error.code === 'DUPLICATE_KEY') {
    const first = firstOccurrenceOfDuplicate(doc, error.pos[0]);
    return first === undefined
      ? 'duplicate key: each key may appear once in a mapping'
      : `duplicate key "${first.key}": already defined at line ${at(first.offset).line}`;
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return 'the file holds more than one YAML document (---): put each in its own file and load the directory';
  }
  const message = error.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '');
  if (/alias/i.test(message)) {
    return `YAML: ${message}; a value starting with * is read as a YAML alias: quote it, e.g. schedule: "*/5 * * * *"`;
  }
  return `YAML: ${message}`;
}

function firstOccurrenceOfDuplicate(
  doc: Document,
  offset: number,
): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const duplicate = map.items.find((pair) => rangeOf(pair.key)?.[0] === offset);
      if (duplicate === undefined) return undefined;
      const name = keyString(duplicate.key);
      const first = map.items.find((pair) => keyString(pair.key) === name);
      const firstOffset = rangeOf(first?.key)?.[0];
      if (firstOffset !== undefined) found = { key: name, offset: firstOffset };
      return visit.BREAK;
    },
  });
  return found;
}

function aliasIssues(
  file: string,
  doc: Document,
  at: (offset: number) => Position,
  error: unknown,
  maxAliasCount: number,
): ConfigIssue[] {
  const message = error instanceof Error ? error.message : String(error);
  if (/excessive alias count/i.test(message)) {
    const first = firstAliasOffset(doc);
    return [
      {
        file,
        ...(first === undefined ? START : at(first)),
        path: '',
        message: `YAML aliases expand to more than ${maxAliasCount} nodes, the limit (a guard against alias bombs); write the values out`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) {
        issues.push({
          file,
          ...at(alias.range?.[0] ?? 0),
          path: '',
          message: `YAML: alias *${alias.source} has no anchor &${alias.source} before it; a value starting with * is read as a YAML alias: quote it, e.g. schedule: "*/5 * * * *"`,
        });
      }
    },
  });
  return issues.length > 0 ? issues : [{ file, ...START, path: '', message: `YAML: ${message}` }];
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      offset = alias.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function keyString(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  return isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)
    ? (node.range ?? undefined)
    : undefined;
}

/** The start of `node` if it has a visible position (an empty value has none worth pointing at). */
function startOf(node: unknown): number | undefined {
  if (isScalar(node) && node.value === null && (node.source === '' || node.source === undefined))
    return undefined;
  return rangeOf(node)?.[0];
}

/**
 * Where to point for a finding at `path`. Walks the document's nodes (through aliases) as far as the path goes; if
 * it stops early (a merged key, a missing key) it points at the deepest node found, which is still the right area.
 */
function locateIn(
  doc: Document,
  path: readonly PathSegment[],
  target: Finding['target'],
  at: (offset: number) => Position,
): Position {
  const steps = target === 'parent' ? path.slice(0, -1) : path;
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const segment of steps) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: { node: unknown; pair: Pair | undefined } | undefined;
    if (isMap(node)) {
      const found = node.items.find((item) => keyString(item.key) === String(segment));
      if (found !== undefined && isPair(found)) next = { node: found.value, pair: found };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item !== undefined) next = { node: item, pair: undefined };
    }
    if (next === undefined) {
      const offset = startOf(node) ?? rangeOf(pair?.key)?.[0];
      return offset === undefined ? START : at(offset);
    }
    node = next.node;
    pair = next.pair;
  }
  const keyOffset = rangeOf(pair?.key)?.[0];
  const nodeOffset = startOf(node);
  const offset =
    target === 'value'
      ? (nodeOffset ?? keyOffset)
      : target === 'key'
        ? (keyOffset ?? nodeOffset)
        : (keyOffset ?? nodeOffset);
  return offset === undefined ? START : at(offset);
}

/** `path` for messages; exported here so callers building issues from a source need one import. */
export { formatPath };
