import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { SUBGRAPH_DEFAULT_PORTS, SUBGRAPH_NAMES } from '../canonical/subgraphs.ts';
import { GENERATED_HEADER, stripGeneratedHeader } from './generated-header.ts';

type SupergraphYaml = {
  federation_version?: string;
  subgraphs?: Record<string, { routing_url?: string; schema?: { file?: string } }>;
};

export type SubgraphSource = { name: string; url: string; sdl: string };

/** Reads supergraph.yaml (rover's format) and the SDL files it names. */
export function readSupergraphConfig(path = 'supergraph.yaml'): SubgraphSource[] {
  const file = resolve(path);
  const config = parseYaml(readFileSync(file, 'utf8')) as SupergraphYaml;
  const entries = Object.entries(config?.subgraphs ?? {});
  if (entries.length === 0) throw new Error(`${path}: no subgraphs declared under "subgraphs"`);
  return entries.map(([name, entry]) => {
    if (!entry.routing_url) throw new Error(`${path}: subgraphs.${name}.routing_url is missing`);
    if (!entry.schema?.file) throw new Error(`${path}: subgraphs.${name}.schema.file is missing`);
    return {
      name,
      url: entry.routing_url,
      sdl: readFileSync(resolve(dirname(file), entry.schema.file), 'utf8'),
    };
  });
}

/**
 * Where supergraph.yaml disagrees with the one declaration of the subgraphs
 * (contracts/canonical/subgraphs.ts): names, their order and the routing_url ports; undefined
 * when it agrees.
 */
export function subgraphDeclarationProblem(sources: SubgraphSource[]): string | undefined {
  const declared = SUBGRAPH_NAMES.map((name) => `${name}:${SUBGRAPH_DEFAULT_PORTS[name]}`);
  const inYaml = sources.map((s) => `${s.name}:${new URL(s.url).port}`);
  if (declared.join(' ') === inYaml.join(' ')) return undefined;
  return `supergraph.yaml declares ${inYaml.join(' ')}, contracts/canonical/subgraphs.ts ${declared.join(' ')}: make them agree`;
}

/** Composes the subgraphs into supergraph SDL, or throws with every composition error. */
export function composeSupergraph(sources: SubgraphSource[]): string {
  const result = composeServices(
    sources.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(stripGeneratedHeader(s.sdl)),
    })),
  );
  if (result.errors) {
    throw new Error(
      `composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`,
    );
  }
  return `${GENERATED_HEADER('npm run compose')}${result.supergraphSdl.trim()}\n`;
}
