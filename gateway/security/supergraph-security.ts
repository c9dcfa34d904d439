import {
  Kind,
  parse,
  print,
  visit,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
} from 'graphql';

/**
 * The access-control part of a composed supergraph (federation v2.5+/2.6): `@authenticated`,
 * `@requiresScopes` and `@policy`, linked `for: SECURITY`. @apollo/gateway refuses a supergraph
 * with SECURITY features it does not enforce, so the gateway enforces them itself
 * (plugins/authorize.ts) from `readSecurityRequirements`, and hands ApolloGateway the SDL from
 * `stripSecurityFeatures`.
 */
export type SecurityRequirement = {
  /** `@authenticated`: any verified token. */
  authenticated: boolean;
  /** `@requiresScopes`: allowed when the caller holds every scope of at least one inner list. */
  scopes?: string[][];
  /** `@policy`: allowed when every named rule of at least one inner list passes. */
  policies?: string[][];
};

/** Schema coordinate (`Type.field`, or `Type` for a type-level directive) → its requirement. */
export type SecurityRequirements = ReadonlyMap<string, SecurityRequirement>;

export const SECURITY_FEATURES = {
  authenticated: 'https://specs.apollo.dev/authenticated/',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes/',
  policy: 'https://specs.apollo.dev/policy/',
} as const;
type Feature = keyof typeof SECURITY_FEATURES;

function stringArg(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** Local directive name of each linked security feature (`as:` or the spec's own name). */
function linkedFeatures(document: DocumentNode): Map<string, Feature> {
  const names = new Map<string, Feature>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) {
      continue;
    }
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = stringArg(directive, 'url') ?? '';
      for (const [feature, prefix] of Object.entries(SECURITY_FEATURES) as [Feature, string][]) {
        if (url.startsWith(prefix)) names.set(stringArg(directive, 'as') ?? feature, feature);
      }
    }
  }
  return names;
}

/** `[["a", "b"], ["c"]]` → string lists; anything else is a malformed supergraph. */
function listOfLists(value: ConstValueNode | undefined, where: string): string[][] {
  const fail = () => {
    throw new Error(`supergraph: ${where}: expected a list of lists of strings`);
  };
  if (value?.kind !== Kind.LIST) fail();
  return (value as { values: readonly ConstValueNode[] }).values.map((inner) => {
    if (inner.kind !== Kind.LIST) fail();
    return (inner as { values: readonly ConstValueNode[] }).values.map((item) =>
      item.kind === Kind.STRING ? item.value : fail(),
    ) as string[];
  });
}

function requirementOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  features: Map<string, Feature>,
  coordinate: string,
  into: Map<string, SecurityRequirement>,
): void {
  for (const directive of directives ?? []) {
    const feature = features.get(directive.name.value);
    if (!feature) continue;
    const requirement = into.get(coordinate) ?? { authenticated: false };
    const where = `${coordinate} @${directive.name.value}`;
    const arg = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
    if (feature === 'authenticated') requirement.authenticated = true;
    // Composition merges each directive into one application per coordinate; should a
    // coordinate carry two, both must hold: keep the AND of the two OR-lists.
    if (feature === 'requiresScopes') {
      requirement.scopes = andOf(requirement.scopes, listOfLists(arg('scopes'), where));
    }
    if (feature === 'policy') {
      requirement.policies = andOf(requirement.policies, listOfLists(arg('policies'), where));
    }
    into.set(coordinate, requirement);
  }
}

/** (a OR b) AND (c OR d) = ac OR ad OR bc OR bd, each inner list an AND of names. */
export function andOf(left: string[][] | undefined, right: string[][]): string[][] {
  if (!left) return right;
  return left.flatMap((l) => right.map((r) => [...new Set([...l, ...r])]));
}

/** Every security requirement of a supergraph (SDL or parsed), by schema coordinate. */
export function readSecurityRequirements(supergraph: string | DocumentNode): SecurityRequirements {
  const document = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const features = linkedFeatures(document);
  const requirements = new Map<string, SecurityRequirement>();
  if (features.size === 0) return requirements;
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const type = definition.name.value;
        requirementOf(definition.directives, features, type, requirements);
        for (const field of definition.fields ?? []) {
          requirementOf(field.directives, features, `${type}.${field.name.value}`, requirements);
        }
        break;
      }
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        requirementOf(definition.directives, features, definition.name.value, requirements);
        break;
      default:
        break;
    }
  }
  return requirements;
}

/** Every policy name the supergraph uses (the gateway refuses to start on an unknown one). */
export function policyNames(requirements: SecurityRequirements): string[] {
  const names = new Set<string>();
  for (const requirement of requirements.values()) {
    for (const list of requirement.policies ?? []) list.forEach((name) => names.add(name));
  }
  return [...names].sort();
}

/**
 * The supergraph without its security features: their `@link`s, directive definitions, feature
 * scalars (`requiresScopes__Scope`, `policy__Policy`) and every application of their directives.
 * Everything else (types, fields, join metadata) is untouched, so the API schema is the same.
 */
export function stripSecurityFeatures(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const stripped = stripSecurityDocument(document);
  return stripped === document ? supergraphSdl : `${print(stripped)}\n`;
}

/** `stripSecurityFeatures` of a parsed supergraph: the same document when it links none. */
export function stripSecurityDocument(document: DocumentNode): DocumentNode {
  const features = linkedFeatures(document);
  if (features.size === 0) return document;
  const prefixes = [...features.keys()].map((name) => `${name}__`);
  const isSecurityLink = (node: ConstDirectiveNode) =>
    node.name.value === 'link' &&
    Object.values(SECURITY_FEATURES).some((url) => stringArg(node, 'url')?.startsWith(url));
  return visit(document, {
    Directive(node) {
      const directive = node as ConstDirectiveNode;
      return features.has(directive.name.value) || isSecurityLink(directive) ? null : undefined;
    },
    DirectiveDefinition(node) {
      return features.has(node.name.value) ? null : undefined;
    },
    ScalarTypeDefinition(node) {
      return prefixes.some((prefix) => node.name.value.startsWith(prefix)) ? null : undefined;
    },
  });
}
