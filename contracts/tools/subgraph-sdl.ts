import { graphql, type GraphQLSchema } from 'graphql';
import type { SubgraphName } from '../canonical/subgraphs.ts';
import { GENERATED_HEADER } from './generated-header.ts';

type SchemaBuilder = () => Promise<GraphQLSchema>;

async function builderFor(name: SubgraphName): Promise<SchemaBuilder> {
  const module = (await import(`../../subgraphs/${name}/server.ts`)) as Record<string, unknown>;
  const exportName = `build${name[0]!.toUpperCase()}${name.slice(1)}Schema`;
  const builder = module[exportName];
  if (typeof builder !== 'function') {
    throw new Error(`subgraphs/${name}/server.ts must export ${exportName}()`);
  }
  return builder as SchemaBuilder;
}

/** The subgraph's SDL exactly as it answers `{ _service { sdl } }` to composition. */
export async function subgraphSdl(name: SubgraphName): Promise<string> {
  const schema = await (await builderFor(name))();
  const result = await graphql({ schema, source: '{ _service { sdl } }' });
  const sdl = (result.data?._service as { sdl?: string } | undefined)?.sdl;
  if (!sdl) throw new Error(`${name}: _service.sdl failed: ${JSON.stringify(result.errors)}`);
  return `${GENERATED_HEADER('npm run contracts')}${sdl.trim()}\n`;
}
