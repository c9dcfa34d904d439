import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { describeProblem, PolicyFieldError, type PolicyPath } from './policy-schema.ts';

/** Thrown by `loadPolicy`: one `file:line: field: problem` line per problem, in file order. */
export class PolicyError extends Error {}

/** Path as shown in messages: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Source offset of the deepest node on `path` that exists; its key's for map entries. */
function offsetOf(doc: Document, path: PolicyPath): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents?.range?.[0] as number | undefined) ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part),
      );
      if (!pair) break;
      offset = (isScalar(pair.key) && pair.key.range?.[0]) || offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      offset = (node as { range?: [number] }).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

/**
 * Reads and validates one policy file (the YAML files under policies/): parses it with source
 * positions, hands the plain data to `validate` (its JSON Schema, then the rules a schema cannot
 * express) and turns every problem into a line a new user can act on, e.g.
 * `policies/auth.yaml:12: tokenClasses.partner.requiredClaims[0]: expected one of ...`.
 * Throws PolicyError.
 */
export function loadPolicy<T>(file: string, validate: (data: unknown) => T): T {
  const shown = displayPath(file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(`${shown}: cannot read the policy file (${(error as Error).message})`);
  }
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0].line ?? 1;
    const message = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new PolicyError(`${shown}:${line}: invalid YAML: ${message}`);
  }
  try {
    return validate(doc.toJS());
  } catch (error) {
    if (!(error instanceof PolicyFieldError)) throw error;
    const located = error.problems.map((problem) => ({
      offset: offsetOf(doc, problem.path),
      text: describeProblem(problem),
    }));
    located.sort((a, b) => a.offset - b.offset);
    throw new PolicyError(
      located
        .map(({ offset, text }) => `${shown}:${counter.linePos(offset).line}: ${text}`)
        .join('\n'),
    );
  }
}
